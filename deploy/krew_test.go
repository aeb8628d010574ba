package deploy

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// krewPlugin is krew's v1alpha2 Plugin, field for field, so that strict
// decoding rejects a misspelt one.
type krewPlugin struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		Version          string         `json:"version"`
		ShortDescription string         `json:"shortDescription"`
		Description      string         `json:"description"`
		Caveats          string         `json:"caveats"`
		Homepage         string         `json:"homepage"`
		Platforms        []krewPlatform `json:"platforms"`
	} `json:"spec"`
}

type krewPlatform struct {
	URI      string                `json:"uri"`
	Sha256   string                `json:"sha256"`
	Selector *metav1.LabelSelector `json:"selector"`
	Files    []struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"files,omitempty"`
	Bin string `json:"bin"`
}

// krewPlatforms are the os/arch pairs the plugin ships for.
var krewPlatforms = []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64"}

func readKrew(t *testing.T, path string) krewPlugin {
	t.Helper()
	var p krewPlugin
	if err := yaml.UnmarshalStrict(mustRead(t, path), &p); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if p.APIVersion != "krew.googlecontainertools.github.com/v1alpha2" || p.Kind != "Plugin" || p.Metadata.Name != "pullcheck" {
		t.Errorf("%s: %s %s %q, want a v1alpha2 Plugin named pullcheck", path, p.APIVersion, p.Kind, p.Metadata.Name)
	}
	if p.Spec.ShortDescription == "" || p.Spec.Homepage == "" || len(p.Spec.ShortDescription) > 80 {
		t.Errorf("%s: shortDescription %q, homepage %q", path, p.Spec.ShortDescription, p.Spec.Homepage)
	}
	var got []string
	for _, pl := range p.Spec.Platforms {
		if pl.Bin != "kubectl-pullcheck" {
			t.Errorf("%s: bin %q, want kubectl-pullcheck (kubectl finds the plugin by that name)", path, pl.Bin)
		}
		if pl.Selector == nil {
			t.Fatalf("%s: a platform without a selector", path)
		}
		got = append(got, pl.Selector.MatchLabels["os"]+"/"+pl.Selector.MatchLabels["arch"])
	}
	sort.Strings(got)
	if diff := cmp.Diff(krewPlatforms, got); diff != "" {
		t.Errorf("%s: platforms (-want +got):\n%s", path, diff)
	}
	return p
}

// TestKrewManifest: the template names the binary kubectl-pullcheck on
// every platform, and leaves exactly the release step's placeholders.
func TestKrewManifest(t *testing.T) {
	p := readKrew(t, "krew/pullcheck.yaml")
	if p.Spec.Version != "{{VERSION}}" {
		t.Errorf("version %q, want the {{VERSION}} placeholder", p.Spec.Version)
	}
	for _, pl := range p.Spec.Platforms {
		osArch := pl.Selector.MatchLabels["os"] + "_" + pl.Selector.MatchLabels["arch"]
		if pl.Sha256 != "{{SHA256_"+osArch+"}}" {
			t.Errorf("%s: sha256 %q, want {{SHA256_%s}}", osArch, pl.Sha256, osArch)
		}
		want := "https://github.com/pullcheck/pullcheck/releases/download/{{VERSION}}/kubectl-pullcheck_{{VERSION}}_" + osArch + ".tar.gz"
		if pl.URI != want {
			t.Errorf("%s: uri %q, want %q", osArch, pl.URI, want)
		}
	}
}

// TestKrewRelease runs the release step on stand-in binaries: each archive
// holds an executable kubectl-pullcheck, and the manifest it writes is
// complete, with each archive's sha256 and the version.
func TestKrewRelease(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	bins, dist := t.TempDir(), filepath.Join(t.TempDir(), "dist")
	for _, pl := range krewPlatforms {
		name := "kubectl-pullcheck_" + strings.ReplaceAll(pl, "/", "_")
		if err := os.WriteFile(filepath.Join(bins, name), []byte("binary for "+pl), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("bash", "krew/release.sh", "--prebuilt", bins, "v1.2.3", dist).CombinedOutput()
	if err != nil {
		t.Fatalf("release.sh: %v\n%s", err, out)
	}
	manifest := filepath.Join(dist, "pullcheck.yaml")
	if got := strings.TrimSpace(string(out)); got != manifest {
		t.Errorf("release.sh printed %q, want %q", got, manifest)
	}
	if b := mustRead(t, manifest); strings.Contains(string(b), "{{") {
		t.Errorf("placeholders left:\n%s", b)
	}
	p := readKrew(t, manifest)
	if p.Spec.Version != "v1.2.3" {
		t.Errorf("version %q", p.Spec.Version)
	}
	hexSum := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, pl := range p.Spec.Platforms {
		osArch := pl.Selector.MatchLabels["os"] + "_" + pl.Selector.MatchLabels["arch"]
		archive := filepath.Join(dist, "kubectl-pullcheck_v1.2.3_"+osArch+".tar.gz")
		if !strings.HasSuffix(pl.URI, "/releases/download/v1.2.3/"+filepath.Base(archive)) {
			t.Errorf("%s: uri %q", osArch, pl.URI)
		}
		sum := sha256.Sum256(mustRead(t, archive))
		if !hexSum.MatchString(pl.Sha256) || pl.Sha256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: sha256 %q is not the archive's", osArch, pl.Sha256)
		}
		checkArchive(t, archive, "binary for "+strings.ReplaceAll(osArch, "_", "/"))
	}
	if out, err := exec.Command("bash", "krew/release.sh", "--prebuilt", bins, "1.2", dist).CombinedOutput(); err == nil || !strings.Contains(string(out), "not a version as v1.2.3") {
		t.Errorf("a bad version: %v %s", err, out)
	}
}

// checkArchive: kubectl-pullcheck at the archive's root, executable, with
// the README beside it.
func checkArchive(t *testing.T, path, wantBinary string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	found := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		found[h.Name] = true
		if h.Name == "kubectl-pullcheck" {
			b, _ := io.ReadAll(tr)
			if string(b) != wantBinary || h.Mode&0o111 == 0 {
				t.Errorf("%s: kubectl-pullcheck is %q, mode %o", path, b, h.Mode)
			}
		}
	}
	if !found["kubectl-pullcheck"] || !found["README.md"] {
		t.Errorf("%s holds %v", path, found)
	}
}
