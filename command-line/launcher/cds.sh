# cds.sh — class-data sharing (AppCDS) for the project's launchers, sourced by mtp-device/bin/mtpd
# and the repository's mtpbridge script (POSIX sh; every name it sets starts with cds_).
#
# A CDS archive holds a program's classes (and the JDK's it uses) parsed and verified, mapped at
# start instead of loaded, which is most of a JVM's start on a small board or under emulation.
# It works only with the JVM build and the jar (path, size, time) it was made from, and a
# mismatching one would not just be ignored, it would switch class sharing off altogether. So an
# archive is used only when its key (written next to it) names this JVM and this jar: the one
# shipped next to the jar (NAME.jsa, made at package time), else the one made on this machine in
# the cache folder. When there is none, the program starts without one (the JDK's own archive
# still applies) and an archive is made in the background, niced and after a delay, from the class
# list shipped next to the jar (NAME.classlist); the next start uses it. A JDK update changes the
# key, and a new archive is made the same way. Nothing here ever stops the program from starting:
# whatever fails, it runs without an archive.
#
# The launcher sets, then calls cds_options or cds_make:
#   cds_name      the program (mtpd, mtpbridge): names the archive, the class list and messages
#   cds_jar       the jar, an absolute path with links resolved
#   cds_java      the java command; cds_java_real the same with links resolved
#   cds_self      the launcher itself (run again as "$cds_self --make-cds-archive" in the background)
#   cds_mode      auto or off
#   cds_dir_set   the cache folder the person chose (may be empty)
#   cds_root_dir  the cache folder when running as root (empty: as for any user)
#   cds_delay     seconds before an archive is made in the background

cds_say() { echo "$cds_name: $*" >&2; }

# The functions below set variables rather than print (no $(...) subshell): every process,
# even a forked shell, costs a noticeable time at each start on an emulated machine or a small
# board.

# cds_key: sets cds_k to the key of a CDS archive: the JVM (libjvm.so by path, size and time) and
# the jar (by path, size and time), the things the JVM itself checks before it maps an archive.
cds_key() {
    cds_k=""
    cds_libjvm=${cds_java_real%/bin/java}/lib/server/libjvm.so
    [ -f "$cds_libjvm" ] || for cds_libjvm in "${cds_java_real%/bin/java}"/lib/*/libjvm.so; do break; done
    [ -f "$cds_libjvm" ] || return 1
    # One stat for both files, read without a subshell (here-document of a command substitution
    # would fork one: a temporary file would cost more).
    # shellcheck disable=SC2046 # the sizes and times are words
    set -- $(stat -L -c '%s %Y' "$cds_libjvm" "$cds_jar")
    [ $# -eq 4 ] || return 1
    cds_k="$cds_java_real $cds_jar $*"
}

# cds_dir: sets cds_d to the cache folder (empty when there is none).
cds_dir() {
    cds_d=""
    if [ -n "$cds_dir_set" ]; then
        cds_d=$cds_dir_set
    elif [ -n "$cds_root_dir" ] && [ "$(id -u)" = 0 ]; then
        cds_d=$cds_root_dir
    elif [ -n "${XDG_CACHE_HOME:-}${HOME:-}" ]; then
        cds_d=${XDG_CACHE_HOME:-$HOME/.cache}/$cds_name
    fi
}

cds_key_of() { # cds_key_of ARCHIVE: sets cds_line to the key written next to it, or nothing
    cds_line=""
    if [ -f "$1.key" ]; then read -r cds_line <"$1.key" || true; fi
}

# cds_make_archive KEY TARGET: dumps the classes of the class list into TARGET (atomically).
cds_make_archive() {
    cds_base=${cds_jar%.jar}
    [ -f "$cds_base.classlist" ] || { cds_say "no class list $cds_base.classlist: cannot make a class-data archive"; return 1; }
    mkdir -p "${2%/*}" || return 1
    cds_lock="$2.making"
    mkdir "$cds_lock" 2>/dev/null || { cds_say "a class-data archive is being made already ($cds_lock)"; return 1; }
    trap 'rm -rf "$cds_lock"' EXIT
    cds_tmp="$2.tmp.$$"
    # The dump runs with the programs' GC (both use the serial collector) so the archive holds
    # exactly what that JVM maps.
    if "$cds_java" -Xshare:dump -XX:+UseSerialGC -Xmx64m -XX:-UsePerfData -XX:SharedClassListFile="$cds_base.classlist" \
        -XX:SharedArchiveFile="$cds_tmp" -cp "$cds_jar" >"$cds_lock/log" 2>&1; then
        echo "$1" >"$2.key"
        mv -f "$cds_tmp" "$2"
        rm -rf "$cds_lock"
        trap - EXIT
        return 0
    fi
    cds_say "making the class-data archive $2 failed:"
    tail -n 5 "$cds_lock/log" >&2
    rm -f "$cds_tmp"
    return 1
}

# cds_make WHERE: --make-cds-archive (the cache folder) or --make-shipped-cds-archive (next to
# the jar: the packaging); exits.
cds_make() {
    cds_key || { cds_say "cannot find this JVM's libjvm.so: no class-data archive"; exit 1; }
    if [ "$1" = --make-shipped-cds-archive ]; then
        cds_make_archive "$cds_k" "${cds_jar%.jar}.jsa" || exit 1
        exit 0
    fi
    cds_dir
    [ -n "$cds_d" ] || { cds_say "no folder for the archive: set the cache folder (see $cds_self)"; exit 1; }
    cds_make_archive "$cds_k" "$cds_d/$cds_name.jsa" || exit 1
    cds_say "class-data archive made: $cds_d/$cds_name.jsa"
    exit 0
}

# cds_options_set: sets cds_opts to the JVM options that use a valid archive (empty when there is
# none, and then, where it can, starts making one in the background).
cds_options_set() {
    cds_opts=""
    [ "$cds_mode" != off ] || return 0
    cds_key 2>/dev/null || return 0
    cds_base=${cds_jar%.jar}
    if [ -f "$cds_base.jsa" ]; then
        cds_key_of "$cds_base.jsa"
        if [ "$cds_line" = "$cds_k" ]; then
            cds_opts="-XX:SharedArchiveFile=$cds_base.jsa"
            return 0
        fi
    fi
    cds_dir
    cds_line=""
    [ -z "$cds_d" ] || ! [ -f "$cds_d/$cds_name.jsa" ] || cds_key_of "$cds_d/$cds_name.jsa"
    if [ -n "$cds_d" ] && [ -n "$cds_line" ] && [ "$cds_line" = "$cds_k" ]; then
        cds_opts="-XX:SharedArchiveFile=$cds_d/$cds_name.jsa"
    elif [ -n "$cds_d" ] && [ -f "$cds_base.classlist" ] && mkdir -p "$cds_d" 2>/dev/null && [ -w "$cds_d" ]; then
        cds_say "no class-data archive for this JVM and jar yet: making $cds_d/$cds_name.jsa in the background (used from the next start)"
        # Double fork: the maker is nobody's child to wait for; under systemd it stays in the
        # service's cgroup and ends with it.
        ( ( sleep "$cds_delay"; nice -n 19 "$cds_self" --make-cds-archive ) </dev/null >/dev/null 2>&1 & )
    fi
    return 0
}

# cds_options: prints what cds_options_set sets (for `x=$(cds_options)`).
cds_options() {
    cds_options_set
    [ -z "$cds_opts" ] || echo "$cds_opts"
}
