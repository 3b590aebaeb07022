#!/bin/sh
# layers.sh: no arrow runs up a layer of lib/. A file may include the
# headers of its own folder and of the layers below it; the tools' layers
# (import, allocate, split, backorder) stand side by side and include none
# of each other's. Prints each include that breaks this; exits 1 if any.
cd "$(dirname "$0")/.." || exit 2
rank() {
	case $1 in
	base) echo 0 ;; records) echo 1 ;; stream) echo 2 ;; ref) echo 3 ;;
	import | allocate | split | backorder) echo 4 ;;
	*) echo 9 ;;
	esac
}
bad=0
for f in lib/*/*.[ch]; do
	layer=$(basename "$(dirname "$f")")
	r=$(rank "$layer")
	for h in $(sed -n 's/^#include "\([^"]*\)"/\1/p' "$f"); do
		dep=$(ls lib/*/"$h" 2>/dev/null | head -1)
		[ -n "$dep" ] || continue
		dl=$(basename "$(dirname "$dep")")
		dr=$(rank "$dl")
		if [ "$dr" -gt "$r" ] || { [ "$dr" -eq "$r" ] && [ "$dl" != "$layer" ]; }; then
			echo "layers: $f includes $dep, a layer it may not use" >&2
			bad=1
		fi
	done
done
[ $bad -eq 0 ] && echo "layers: no include runs up a layer of lib/"
exit $bad
