#!/usr/bin/env bash
# make-image.sh - a FAT32 disk image of a staged stick, to write to a USB stick.
#
#   media/make-image.sh STICK_DIR IMAGE
#
# Makes IMAGE (a whole FAT32 file system, volume label OTHARDEN, no partition table:
# Windows Server 2008 mounts such "superfloppy" USB sticks) sized to fit STICK_DIR with
# room to spare for reports and journals, copies STICK_DIR into it with mtools (no root,
# no loop mount), then copies everything back out with mcopy and compares it with
# STICK_DIR byte for byte (diff -r, folders included). Write it to a stick with e.g.
#   dd if=IMAGE of=/dev/sdX bs=4M conv=fsync     (sdX = the stick: check with lsblk!)
# Needs Debian's dosfstools (mkfs.fat) and mtools (mcopy).
# Exit: 0 made and checked; 1 the copy read back differs; 2 bad usage; 77 tools missing.
set -euo pipefail
if [ $# -ne 2 ] || [ ! -d "$1" ]; then
    echo "usage: make-image.sh STICK_DIR IMAGE" >&2
    exit 2
fi
stick=$(cd "$1" && pwd)
image=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
for tool in mkfs.fat mcopy; do
    if ! command -v "$tool" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$tool" ] && ! [ -x "/sbin/$tool" ]; then
        echo "make-image: SKIP: $tool not found (apt-get install dosfstools mtools)" >&2
        exit 77
    fi
done
mkfs_fat=$(command -v mkfs.fat || echo /usr/sbin/mkfs.fat)
export MTOOLS_SKIP_CHECK=1 MTOOLSRC=/dev/null

# FAT32 needs at least 65525 clusters: with mkfs.fat's 512-byte clusters below
# 260 MiB that is 33 MiB, so never go below 64 MiB. Add a quarter for reports and
# journals written on site, and round up.
bytes=$(du -sb "$stick" | cut -f1)
mib=$(( (bytes * 5 / 4) / 1048576 + 16 ))
[ "$mib" -lt 64 ] && mib=64
rm -f "$image"
truncate -s "${mib}M" "$image"
# --invariant: no random volume id or time in the file system itself, so the same
# stick contents give the same image (file times still come from the files).
"$mkfs_fat" -F 32 -n OTHARDEN --invariant "$image" >/dev/null
(cd "$stick" && mcopy -s -p -Q -i "$image" ./* ::/)

check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
mcopy -s -n -Q -i "$image" '::/*' "$check/"
if ! diff -r "$stick" "$check" >"$check.diff" 2>&1; then
    echo "make-image: $image does NOT hold the same files as $stick:" >&2
    cat "$check.diff" >&2
    rm -f "$check.diff"
    exit 1
fi
rm -f "$check.diff"
files=$(find "$stick" -type f | wc -l)
echo "make-image: $image: FAT32, ${mib} MiB, $files files; read back with mcopy and identical to $stick"
