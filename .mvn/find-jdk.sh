# Sourced by mvnw and the charnwood script: makes sure a JDK 21 or newer runs the build.
# Keeps JAVA_HOME when it already points at one; otherwise looks in the usual install folders.
charnwood_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
charnwood_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(charnwood_java_major "$JAVA_HOME"); [ "${v:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(charnwood_java_major "$home"); if [ "${v:-0}" -ge 21 ] 2>/dev/null; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
  fi
  best=""; bestv=0
  # the caller may have globbing off (mvnw runs under set -f)
  case $- in *f*) noglob=1; set +f;; *) noglob=0;; esac
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    v=$(charnwood_java_major "$home")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best=$home; bestv=$v; fi
  done
  [ "$noglob" = 1 ] && set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "Charnwood needs a JDK 21 or newer: install one, or set JAVA_HOME to it." >&2
  return 1
}
charnwood_find_jdk || exit 1
