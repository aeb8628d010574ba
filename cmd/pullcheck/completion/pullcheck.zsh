#compdef pullcheck
# zsh completion for pullcheck. Load it with
#   source <(pullcheck completion zsh)
# or save it as _pullcheck in a directory of $fpath.
# pullcheck itself answers (pullcheck __complete …): namespaces and pods come
# from the cluster of the current context, commands and flags from pullcheck.

_pullcheck() {
  local out line value desc directive=0
  local -a candidates
  out=$(${words[1]} __complete "${(@)words[2,CURRENT-1]}" "${words[CURRENT]}" 2>/dev/null) || return 1
  for line in "${(@f)out}"; do
    case $line in
      :*) directive=${line#:} ;;
      *)
        value=${line%%$'\t'*} desc=
        [[ $line == *$'\t'* ]] && desc=${line#*$'\t'}
        candidates+=("${value//:/\\:}${desc:+:$desc}")
        ;;
    esac
  done
  if (( ${#candidates} == 0 )); then
    (( directive & 4 )) || _files
    return
  fi
  if (( directive & 2 )); then
    _describe -t pullcheck pullcheck candidates -S ''
  else
    _describe -t pullcheck pullcheck candidates
  fi
}

if [[ ${funcstack[1]} == _pullcheck ]]; then
  _pullcheck "$@"
else
  compdef _pullcheck pullcheck
fi
