package main

import (
	"embed"
	"io"
	"slices"
)

// completionScripts ask pullcheck itself for candidates (pullcheck
// __complete …), so namespaces and pods come from the current context's
// cluster and every command, verb, action and flag from this binary.
//
//go:embed completion/pullcheck.bash completion/pullcheck.zsh completion/pullcheck.fish
var completionScripts embed.FS

// completionShells are the shells completion has a script for.
var completionShells = []string{"bash", "zsh", "fish"}

// runCompletion prints the completion script of a shell.
func runCompletion(args []string, stdout io.Writer) error {
	if len(args) != 1 || !slices.Contains(completionShells, args[0]) {
		return usagef("completion expects a shell: bash, zsh or fish (example: source <(pullcheck completion bash))")
	}
	b, err := completionScripts.ReadFile("completion/pullcheck." + args[0])
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}
