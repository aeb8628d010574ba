package ibmcloud

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// imagesBody is a ListImages answer: capitalised keys as the API sends them,
// an image tagged twice in one repository, one image in two repositories,
// an untagged image known only by digest, and a dangling "<none>" entry.
const imagesBody = `[
 {"Id":"sha256:aaa","Created":1700000000,"RepoTags":["us.icr.io/shop/web:1.0","us.icr.io/shop/web:latest"],
  "RepoDigests":["us.icr.io/shop/web@sha256:aaa"],"ManifestType":"application/vnd.oci.image.manifest.v1+json","Size":300,"VirtualSize":300},
 {"Id":"sha256:bbb","Created":1700000001,"RepoTags":["us.icr.io/shop/web:2.0","us.icr.io/shop/web-mirror:2.0"],
  "RepoDigests":[],"Size":500,"VirtualSize":500},
 {"Id":"sha256:ccc","Created":1700000002,"RepoTags":[],"RepoDigests":["us.icr.io/shop/api@sha256:ccc"],"Size":900},
 {"Id":"sha256:ddd","Created":1700000003,"RepoTags":["<none>:<none>"],"RepoDigests":[],"Size":50}]`

func TestRepositories(t *testing.T) {
	f := newFake(t)
	// The fake has no /api/v1/images route of its own; its injection map
	// answers the route with this 200 body.
	f.fail["GET /api/v1/images"] = failure{status: http.StatusOK, body: imagesBody}
	got, err := f.client(botKey).Repositories(context.Background(), "us-south", acct)
	if err != nil {
		t.Fatal(err)
	}
	want := []RepoUsage{
		{Repository: "us.icr.io/shop/api", Bytes: 900, Images: 1},
		{Repository: "us.icr.io/shop/web", Bytes: 800, Images: 2},
		{Repository: "us.icr.io/shop/web-mirror", Bytes: 500, Images: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Repositories (-want +got):\n%s", diff)
	}
	wantReqs := []string{"GET /api/v1/images?includeManifestLists=false&vulnerabilities=false account=" + acct + " as=bot", "POST /identity/token"}
	if diff := cmp.Diff(wantReqs, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestRepositoriesErrors(t *testing.T) {
	t.Run("forbidden", func(t *testing.T) {
		f := newFake(t)
		f.fail["GET /api/v1/images"] = failure{status: http.StatusForbidden, body: registry403}
		_, err := f.client(botKey).Repositories(context.Background(), "us-south", acct)
		var pe *PermissionError
		if !errors.As(err, &pe) || pe.Permission != permRegistry || pe.Status != http.StatusForbidden {
			t.Fatalf("err = %v, want *PermissionError for %s", err, permRegistry)
		}
		if want := "listing registry images of account " + acct + " in us-south: "; !strings.HasPrefix(err.Error(), want) {
			t.Errorf("err = %q, want prefix %q", err, want)
		}
	})
	t.Run("server error", func(t *testing.T) {
		f := newFake(t)
		f.fail["GET /api/v1/images"] = failure{status: http.StatusInternalServerError,
			body: `{"errors":[{"code":"CRG0100E","message":"An internal error occurred."}]}`}
		_, err := f.client(botKey).Repositories(context.Background(), "us-south", acct)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != "CRG0100E" || ae.Status != http.StatusInternalServerError {
			t.Fatalf("err = %v, want *APIError CRG0100E", err)
		}
	})
	t.Run("no bot key", func(t *testing.T) {
		f := newFake(t)
		if _, err := f.client("").Repositories(context.Background(), "us-south", ""); !errors.Is(err, ErrNoBotKey) {
			t.Errorf("err = %v, want ErrNoBotKey", err)
		}
	})
	t.Run("unknown region", func(t *testing.T) {
		f := newFake(t)
		_, err := f.client(botKey).Repositories(context.Background(), "mars-1", acct)
		if err == nil || !strings.Contains(err.Error(), `unknown registry region "mars-1"`) {
			t.Errorf("err = %v, want unknown region", err)
		}
	})
	t.Run("no secret in errors", func(t *testing.T) {
		f := newFake(t)
		f.fail["GET /api/v1/images"] = failure{status: http.StatusBadRequest,
			body: `{"errors":[{"code":"CRG0001E","message":"bad key ` + botKey + `"}]}`}
		_, err := f.client(botKey).Repositories(context.Background(), "us-south", acct)
		if err == nil || strings.Contains(err.Error(), canary) {
			t.Errorf("err = %v, want an error without the key", err)
		}
	})
}

func TestRepositoryOf(t *testing.T) {
	tests := map[string]string{
		"us.icr.io/shop/web:1.0":               "us.icr.io/shop/web",
		"us.icr.io/shop/web@sha256:abc":        "us.icr.io/shop/web",
		"us.icr.io/shop/team/web:1.0@sha256:a": "us.icr.io/shop/team/web",
		"localhost:5000/shop/web":              "localhost:5000/shop/web",
		"localhost:5000/shop/web:2":            "localhost:5000/shop/web",
		"<none>:<none>":                        "",
		"":                                     "",
	}
	for ref, want := range tests {
		if got := repositoryOf(ref); got != want {
			t.Errorf("repositoryOf(%q) = %q, want %q", ref, got, want)
		}
	}
}
