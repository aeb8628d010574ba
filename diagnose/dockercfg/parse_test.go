package dockercfg

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// canary is a password no error or printed value may ever contain.
const canary = "Canary-pw-7d1f0c"

// b64 encodes s as the "auth" field of a docker config.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// dcj wraps a JSON auths map into .dockerconfigjson secret data.
func dcj(auths string) map[string][]byte {
	return map[string][]byte{".dockerconfigjson": []byte(`{"auths":` + auths + `}`)}
}

func TestParseSecret(t *testing.T) {
	tests := []struct {
		name       string
		secretType string
		data       map[string][]byte
		want       *Config
		wantReason string
	}{{
		name:       "username and password",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"us.icr.io":{"username":"iamapikey","password":"` + canary + `","email":"a@b.c"}}`),
		want:       &Config{Entries: []Credential{{Key: "us.icr.io", Username: "iamapikey", Password: canary}}},
	}, {
		name:       "auth field decoded and entries sorted by key",
		secretType: "kubernetes.io/dockerconfigjson",
		data: dcj(`{"us.icr.io":{"auth":"` + b64("iamapikey:"+canary) + `"},` +
			`"https://index.docker.io/v1/":{"auth":"` + b64("bob:pa:ss") + `"}}`),
		want: &Config{Entries: []Credential{
			{Key: "https://index.docker.io/v1/", Username: "bob", Password: "pa:ss"},
			{Key: "us.icr.io", Username: "iamapikey", Password: canary},
		}},
	}, {
		name:       "auth wins over username and password, as in the kubelet",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"de.icr.io":{"username":"old","password":"old","auth":"` + b64("iamapikey:"+canary) + `"}}`),
		want:       &Config{Entries: []Credential{{Key: "de.icr.io", Username: "iamapikey", Password: canary}}},
	}, {
		name:       "tokens and case-insensitive field names",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"r.example":{"IdentityToken":"id-` + canary + `","registrytoken":"rt-` + canary + `"}}`),
		want: &Config{Entries: []Credential{{Key: "r.example",
			IdentityToken: "id-" + canary, RegistryToken: "rt-" + canary}}},
	}, {
		name:       "legacy dockercfg holds the hosts directly",
		secretType: "kubernetes.io/dockercfg",
		data:       map[string][]byte{".dockercfg": []byte(`{"icr.io":{"auth":"` + b64("iamapikey:"+canary) + `","email":"x"}}`)},
		want:       &Config{Entries: []Credential{{Key: "icr.io", Username: "iamapikey", Password: canary}}},
	}, {
		name:       "opaque secret",
		secretType: "Opaque",
		data:       dcj(`{"us.icr.io":{}}`),
		wantReason: `type "Opaque", want kubernetes.io/dockerconfigjson`,
	}, {
		name:       "missing key",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       map[string][]byte{".dockercfg": []byte(`{}`)},
		wantReason: "no .dockerconfigjson key in data",
	}, {
		name:       "empty key",
		secretType: "kubernetes.io/dockercfg",
		data:       map[string][]byte{".dockercfg": nil},
		wantReason: "key .dockercfg is empty",
	}, {
		name:       "invalid JSON quoting the password",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       map[string][]byte{".dockerconfigjson": []byte(`{"auths":{"us.icr.io":{"password":"` + canary + `"}`)},
		wantReason: "invalid JSON at offset 53",
	}, {
		name:       "bare token instead of JSON",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       map[string][]byte{".dockerconfigjson": []byte(canary)},
		wantReason: "invalid JSON at offset 1",
	}, {
		name:       "password of the wrong type",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"us.icr.io":{"password":12345678}}`),
		wantReason: `registry "us.icr.io": field "password" is a number, want a string`,
	}, {
		name:       "registry entry is a string",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"us.icr.io":"` + canary + `"}`),
		wantReason: `registry "us.icr.io" is a string, want an object`,
	}, {
		name:       "auths is an array",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`["` + canary + `"]`),
		wantReason: "auths is an array, want an object",
	}, {
		name:       "top level is a string",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       map[string][]byte{".dockerconfigjson": []byte(`"` + canary + `"`)},
		wantReason: "top level is a string, want an object",
	}, {
		name:       "auth not base64",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"us.icr.io":{"auth":"` + canary + `!"}}`),
		wantReason: `registry "us.icr.io": auth field is not valid base64`,
	}, {
		name:       "auth without colon",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{"us.icr.io":{"auth":"` + b64(canary) + `"}}`),
		wantReason: `registry "us.icr.io": auth field does not decode to user:password`,
	}, {
		name:       "empty auths",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       dcj(`{}`),
		wantReason: "no registries in auths",
	}, {
		name:       "no auths at all",
		secretType: "kubernetes.io/dockerconfigjson",
		data:       map[string][]byte{".dockerconfigjson": []byte(`{"us.icr.io":{"auth":"` + b64("u:"+canary) + `"}}`)},
		wantReason: "no registries in auths",
	}, {
		name:       "empty legacy map",
		secretType: "kubernetes.io/dockercfg",
		data:       map[string][]byte{".dockercfg": []byte(`{}`)},
		wantReason: "no registries in .dockercfg",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSecret(tt.secretType, tt.data)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSecret() config (-want +got):\n%s", diff)
			}
			if gotReason := reasonOf(t, err); gotReason != tt.wantReason {
				t.Errorf("ParseSecret() reason = %q, want %q", gotReason, tt.wantReason)
			}
		})
	}
}

// reasonOf returns the Reason of a *MalformedError, failing on any other
// error and on any error that shows the canary.
func reasonOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var me *MalformedError
	if !errors.As(err, &me) {
		t.Fatalf("error %T is not a *MalformedError", err)
	}
	if strings.Contains(err.Error(), canary[1:10]) {
		t.Fatalf("error shows the secret: %q", err)
	}
	if !strings.HasPrefix(err.Error(), "malformed pull secret: ") {
		t.Fatalf("error %q lacks the prefix", err)
	}
	return me.Reason
}

func TestParseLongKeyIsClipped(t *testing.T) {
	key := strings.Repeat("é", 100)
	_, err := Parse([]byte(`{"auths":{"` + key + `":{"auth":"%%"}}}`))
	want := `registry "` + strings.Repeat("é", 32) + `...": auth field is not valid base64`
	if got := reasonOf(t, err); got != want {
		t.Errorf("reason = %q, want %q", got, want)
	}
}
