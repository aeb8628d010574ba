package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletionScripts prints each shell's script and has the shell parse
// it, where the shell is installed.
func TestCompletionScripts(t *testing.T) {
	parse := map[string][]string{"bash": {"-n"}, "zsh": {"-n"}, "fish": {"--no-execute"}}
	for _, sh := range completionShells {
		t.Run(sh, func(t *testing.T) {
			code, script, stderr := runCLI(t, "completion", sh)
			if code != 0 || !strings.Contains(script, "__complete") || !strings.Contains(script, "pullcheck") {
				t.Fatalf("exit %d, stderr %q\n%s", code, stderr, script)
			}
			bin, err := exec.LookPath(sh)
			if err != nil {
				t.Skipf("%s is not installed: the script was not parsed", sh)
			}
			f := filepath.Join(t.TempDir(), "pullcheck."+sh)
			if err := os.WriteFile(f, []byte(script), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(bin, append(parse[sh], f)...).CombinedOutput(); err != nil {
				t.Errorf("%s %s: %v\n%s", sh, parse[sh][0], err, out)
			}
		})
	}
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage || !strings.Contains(stderr, "completion expects a shell: bash, zsh or fish") {
			t.Errorf("%q: exit %d, %q", args, code, stderr)
		}
	}
}

// TestCompletionInTheShell completes command lines in a real bash and fish
// with the scripts loaded and this test binary installed as pullcheck,
// connected to the sandbox (team-a and its pod).
func TestCompletionInTheShell(t *testing.T) {
	w, pod, err := entryWorld()
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	dir := installAs(t, "pullcheck")
	env := []string{"KUBECONFIG=" + writeKubeconfig(t, "team-a"), "HOME=" + t.TempDir()}
	tests := []struct {
		line string
		want []string
	}{
		{"pullcheck diagnose pod team-a/", []string{"team-a/" + pod}},
		{"pullcheck diagnose pod -n team-a ", []string{pod}},
		{"pullcheck fix copy-", []string{"copy-pull-secret"}},
		{"pullcheck completion ", []string{"bash", "fish", "zsh"}},
	}
	t.Run("bash", func(t *testing.T) {
		if _, err := exec.LookPath("bash"); err != nil {
			t.Skip("bash is not installed")
		}
		for _, tt := range tests {
			words := strings.Fields(tt.line)
			if strings.HasSuffix(tt.line, " ") {
				words = append(words, "")
			}
			script := `source <(pullcheck completion bash) || exit 1
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
_pullcheck; printf '%s\n' "${COMPREPLY[@]}"`
			code, stdout, stderr := runBinary(t, dir, env, "bash", append([]string{"-c", script, "bash"}, words...)...)
			if got := strings.Fields(stdout); code != 0 || strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("%q: exit %d, completions %q, want %q\n%s", tt.line, code, got, tt.want, stderr)
			}
		}
	})
	t.Run("fish", func(t *testing.T) {
		if _, err := exec.LookPath("fish"); err != nil {
			t.Skip("fish is not installed")
		}
		for _, tt := range tests {
			script := "pullcheck completion fish | source; complete --do-complete '" + tt.line + "'"
			code, stdout, stderr := runBinary(t, dir, env, "fish", "--no-config", "-c", script)
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
				got = append(got, strings.Split(l, "\t")[0])
			}
			if code != 0 || strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("%q: exit %d, completions %q, want %q\n%s", tt.line, code, got, tt.want, stderr)
			}
		}
	})
}
