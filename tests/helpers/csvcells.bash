# csvcells.bash: the cells of a CSV or TSV file as a spreadsheet reads them (RFC 4180 quoting).

# cells FILE [DELIM]: one line per cell, "ROW<tab>COLUMN<tab>TEXT", rows and
# columns from 1; in TEXT a backslash, tab, CR and LF are written \\ \t \r \n.
cells() {
	awk -v delim="${2:-,}" '
	{ text = text $0 "\n" }
	function put(c) {
		gsub(/\\/, "\\\\", c); gsub(/\t/, "\\t", c); gsub(/\r/, "\\r", c); gsub(/\n/, "\\n", c)
		printf "%d\t%d\t%s\n", row, col, c
	}
	END {
		n = length(text); row = 1; col = 1; i = 1
		while (i <= n) {
			cell = ""
			if (substr(text, i, 1) == "\"") {
				for (i++; i <= n; i++) {
					ch = substr(text, i, 1)
					if (ch == "\"") {
						if (substr(text, i + 1, 1) != "\"") { i++; break }
						i++
					}
					cell = cell ch
				}
			}
			for (; i <= n; i++) {
				ch = substr(text, i, 1)
				if (ch == delim || ch == "\n")
					break
				cell = cell ch
			}
			put(cell)
			if (substr(text, i, 1) == "\n") { row++; col = 1 } else col++
			i++
		}
	}' "$1"
}

# formulas FILE [DELIM]: the cells a spreadsheet would take for a formula:
# those starting with = + - @ tab CR or LF, but for plain numbers (-5, -1.50).
formulas() {
	cells "$@" | awk -F'\t' '$3 ~ /^([=+@-]|\\[trn])/ && $3 !~ /^-?[0-9]+(\.[0-9]+)?$/'
}

# cell FILE ROW COLUMN [DELIM]: the text of one cell, escaped as cells writes it.
cell() {
	cells "$1" "${4:-,}" | awk -F'\t' -v r="$2" -v c="$3" '$1 == r && $2 == c { print $3 }'
}
