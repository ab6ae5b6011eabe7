#!/bin/sh
# Build a minimal Debian root filesystem with mmdebstrap and import it as a podman image: the
# stand-in for an official base image on a machine that reaches the Debian archive but no image
# registry (ours, CI's). Needs root, mmdebstrap and podman.
#
#   deploy/image/base.sh IMAGE PACKAGE[,PACKAGE...] [SUITE]
#   e.g. deploy/image/base.sh localhost/world-timer-base:bookworm python3,python3-venv,ca-certificates
#
# SUITE defaults to the host's own Debian release; when it is the host's, the packages come from
# the archive (and security mirror) the host's apt already uses, /etc/apt/sources.list.d/*.sources
# or /etc/apt/sources.list, otherwise from mmdebstrap's default mirror. What keeps the image small
# (measured on bookworm with python3, python3-venv, ca-certificates: 106 MB, against 225 MB for
# `--variant=minbase` with Recommends and the docs):
# - `--variant=essential`: only Essential: yes packages and the named ones, no apt in the image;
# - the merged-/usr hook instead of the usrmerge package (which pulls in all of Perl, 45 MB);
# - no Recommends, and dpkg leaves out documentation (copyright files kept), man pages, locales.
# Extra packages that an image needs as an executable under another name are linked with
# LINKS="TARGET:LINK ..." (the stack's tools image mimics the official images' paths that way).
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 IMAGE PACKAGE[,PACKAGE...] [SUITE]" >&2
	exit 2
fi
image=$1
packages=$2
host_suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
suite=${3:-${host_suite:-bookworm}}

for tool in mmdebstrap podman; do
	command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is not installed" >&2; exit 1; }
done

# The host's own apt sources, when they are for the same suite.
set --
if [ "$suite" = "$host_suite" ]; then
	for source in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
		[ -s "$source" ] && grep -q '^[^#]' "$source" && set -- "$@" "$source"
	done
fi

links=""
for pair in ${LINKS:-}; do
	links="$links ln -sf ${pair%%:*} \"\$1\"${pair#*:};"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/world-timer-base.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mmdebstrap --quiet --mode=root --variant=essential \
	--include="$packages" \
	--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
	--aptopt='APT::Install-Recommends "false"' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--customize-hook="rm -rf \"\$1\"/var/cache/* \"\$1\"/var/log/*.log; $links" \
	"$suite" "$work/rootfs.tar" "$@"
podman import --quiet \
	--change 'ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'CMD=["/bin/sh"]' \
	--message "mmdebstrap $suite: $packages" \
	"$work/rootfs.tar" "$image" >/dev/null
echo "$image: $(podman image inspect --format '{{.Size}}' "$image") bytes ($suite: $packages)"
