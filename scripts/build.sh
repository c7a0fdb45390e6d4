#!/bin/sh
# Builds daftar to hand over: static binaries (CGO_ENABLED=0, nothing to
# install beside them) with the version stamped in, and their SHA-256
# checksums, in dist/.
#
#   scripts/build.sh                      linux/amd64, linux/arm64, windows/amd64
#   scripts/build.sh linux/arm64          only the targets named
#   VERSION=v1.2.0 scripts/build.sh       another version than git describe's
#   DIST=/tmp/out scripts/build.sh        another folder than dist/
#
# `daftar version` prints the stamped version. Needs only Go; runs with any
# POSIX sh (on Windows: Git Bash, or build with the go command as the
# README shows).
set -eu
cd "$(dirname "$0")/.."

# A modified checkout is marked +dirty, as Go marks its own version stamp.
version=${VERSION:-$(git describe --tags --always --dirty=+dirty 2>/dev/null || echo devel)}
dist=${DIST:-dist}
[ $# -gt 0 ] || set -- linux/amd64 linux/arm64 windows/amd64

mkdir -p "$dist"
files=""
for target in "$@"; do
	os=${target%/*}
	arch=${target#*/}
	ext=""
	[ "$os" = windows ] && ext=.exe
	name="daftar-$version-$os-$arch$ext"
	echo "build $name"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
		-ldflags "-s -w -X main.stampedVersion=$version" \
		-o "$dist/$name" .
	files="$files $name"
done

# The checksums of this build's files, as sha256sum -c reads them.
cd "$dist"
if command -v sha256sum >/dev/null 2>&1; then
	sha256sum $files >SHA256SUMS
else
	shasum -a 256 $files >SHA256SUMS
fi
echo "wrote $dist/SHA256SUMS"
cat SHA256SUMS
