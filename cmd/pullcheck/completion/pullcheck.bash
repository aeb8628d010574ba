# bash completion for pullcheck (bash 4 or later). Load it with
#   source <(pullcheck completion bash)
# or save it as /etc/bash_completion.d/pullcheck.
# pullcheck itself answers (pullcheck __complete …): namespaces and pods come
# from the cluster of the current context, commands and flags from pullcheck.

_pullcheck() {
    local cur="${COMP_WORDS[COMP_CWORD]}" line directive=0
    local -a candidates=()
    COMPREPLY=()
    while IFS='' read -r line; do
        case $line in
        :*) directive=${line#:} ;;
        *) candidates+=("${line%%$'\t'*}") ;;
        esac
    done < <("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null)
    if (( directive & 2 )); then
        compopt -o nospace 2>/dev/null
    fi
    if (( ${#candidates[@]} == 0 )); then
        if (( (directive & 4) == 0 )); then
            compopt -o default 2>/dev/null
        fi
        return 0
    fi
    COMPREPLY=("${candidates[@]}")
}

complete -F _pullcheck pullcheck
