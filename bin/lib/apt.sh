# Sourced by bin/test and bench/run: installs Debian packages, as root or through sudo, running
# apt-get update once per script.
apt_updated=false

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Whether the dynamic linker knows a library (e.g. libtcmalloc_minimal.so.4).
has_library() {
  { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | awk -v lib="$1" '$1 == lib { found = 1 } END { exit !found }'
}
