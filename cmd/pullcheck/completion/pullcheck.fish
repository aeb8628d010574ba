# fish completion for pullcheck. Load it with
#   pullcheck completion fish | source
# or save it as ~/.config/fish/completions/pullcheck.fish.
# pullcheck itself answers (pullcheck __complete …): namespaces and pods come
# from the cluster of the current context, commands and flags from pullcheck.

function __pullcheck_complete
    set -l args (commandline -opc)
    set -l cmd $args[1]
    set -e args[1]
    set -l cur (commandline -ct)
    set -l directive 0
    set -l found 0
    for line in ($cmd __complete $args "$cur" 2>/dev/null)
        if string match -q -- ':*' $line
            set directive (string sub -s 2 -- $line)
        else
            set found 1
            printf '%s\n' $line
        end
    end
    if test $found -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$cur"
    end
end

complete -c pullcheck -f -a '(__pullcheck_complete)'
