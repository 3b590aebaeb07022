/* edi.h: ANSI X12 interchanges: a segment reader that learns its delimiters from each ISA, and a 997 writer. */
#ifndef OMS_EDI_H
#define OMS_EDI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lines.h"
#include "util.h"

/* The length of a well-formed ISA segment, its terminator included. */
#define EDI_ISA_LEN 106
/* Segments longer than this are cut and flagged overlong; real ones are a few hundred bytes. */
#define EDI_SEG_MAX (64u << 10)

struct edi_delims {
	char elem; /* element separator: ISA byte 3 */
	char comp; /* component separator: ISA16, byte 104 */
	char seg; /* segment terminator: byte 105 */
};

/* One segment as read: its text and its elements, valid until the next edi_next. */
struct edi_seg {
	const char *text; /* without its terminator */
	size_t len;
	char **el; /* el[0] is the segment id; each NUL-terminated */
	size_t nel;
	long no; /* segment number in the file, from 1 */
	bool overlong; /* longer than EDI_SEG_MAX: text and elements are cut */
	bool unterminated; /* the input ended before its terminator */
	/*
	 * For an ISA: its length in characters (UTF-8 counted as characters, as
	 * the standard's fixed widths are) through the terminator, and whether
	 * the delimiters came from it.
	 */
	size_t isa_len;
	bool isa_ok;
	bool
	    no_isa16; /* an ISA that ends after ISA15: read with its terminator, but not ok */
};

struct edi_reader {
	struct lr *lr; /* the input, read through its buffer */
	struct edi_delims d;
	bool known; /* d was read from an ISA (else guessed at the first segment) */
	long segno;
	struct buf text, els;
	char **el;
	size_t elcap;
};

enum edi_status { EDI_SEG, EDI_EOF, EDI_IOERR };

/*
 * Read segments from lr (not owned: the caller keeps it, and edi_reader
 * takes bytes straight from its buffer). White space after a terminator is
 * skipped; each ISA sets the delimiters for what follows it. Before any ISA
 * they are guessed (the byte after the first segment id, and '~' if the
 * input holds one, else a line end) so that a file without an ISA can still
 * be cut into segments and reported.
 */
void edi_init(struct edi_reader *r, struct lr *lr);

/* The next segment into *s; EDI_EOF at the end, EDI_IOERR when reading failed. */
enum edi_status edi_next(struct edi_reader *r, struct edi_seg *s);

/* Release the reader's buffers; the line reader is the caller's. */
void edi_free(struct edi_reader *r);

/* Element i of s (0 is the id), or "" when the segment has no such element. */
const char *edi_el(const struct edi_seg *s, size_t i);

/* True when s is the segment called id. */
bool edi_is(const struct edi_seg *s, const char *id);

/*
 * How many bytes of s make its first max characters, a UTF-8 character never
 * cut: for "%.*s" in messages that quote input.
 */
int edi_cut(const char *s, int max);

/* How one transaction set of a group fared, for its AK2..AK5 in a 997. */
struct edi_ack_set {
	const char *set_id; /* ST01 */
	const char *control; /* ST02 */
	bool accepted;
	int ak5_code; /* AK502 (element 718), 0 for none */
	const char *seg_id; /* AK3: the segment in error, or NULL */
	long seg_pos; /* its position in the set, ST being 1 */
	int seg_code; /* AK304 (element 720) */
	int el_pos; /* AK4: the element in error, 0 for none */
	int el_code; /* AK403 (element 723) */
};

/* One functional group of the input, and what to say about it. */
struct edi_ack_group {
	struct edi_delims d; /* the input's, used for the 997 too */
	const char *isa[17]; /* the input's ISA01..ISA16, as read */
	const char *gs[9]; /* the input's GS01..GS08 */
	const char *ctrl; /* control number of the 997 (digits, at most 9) */
	long included; /* GE01, or -1 when the group has no GE */
	int ak9_code; /* AK905 (element 716), 0 for none */
	bool envelope_bad; /* every set is rejected for a reason outside it */
	const struct edi_ack_set *sets;
	size_t nsets;
};

/*
 * Write one 997 interchange acknowledging g to f: ISA and GS with sender
 * and receiver swapped and dated as the input's, AK1, one AK2/AK5 per set
 * (AK3/AK4 where the error has a place), AK9, and trailers with their
 * counts. The interchange and group control number is g->ctrl (ISA13
 * zero-padded to 9 digits), the transaction set control number 0001. Dating
 * it as the input keeps the output of a run a function of its input.
 */
void edi_write_997(FILE *f, const struct edi_ack_group *g);

#endif
