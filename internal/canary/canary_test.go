package canary_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/pullcheck/pullcheck/internal/canary"
)

// TestFindsEveryEncoding: each way a secret could be written out is found,
// also inside longer texts; unrelated text is not.
func TestFindsEveryEncoding(t *testing.T) {
	const key = "canary-apikey-0123456789abcdef/+&<>"
	const user, password = "iamapikey", "canary-password-0123456789"
	cfgJSON := fmt.Sprintf(`{"auths":{"us.icr.io":{"username":%q,"password":%q,"auth":%q}}}`,
		user, password, base64.StdEncoding.EncodeToString([]byte(user+":"+password)))
	jsonKey, _ := json.Marshal(map[string]string{"key": key})
	forms := canary.Forms(key, password, canary.Login(user, password))
	for name, text := range map[string]string{
		"as is":                     "key=" + key + ".",
		"base64":                    "x " + base64.StdEncoding.EncodeToString([]byte(key)),
		"base64url":                 base64.RawURLEncoding.EncodeToString([]byte(key)),
		"query-escaped":             "https://iam.cloud.ibm.com/token?apikey=" + url.QueryEscape(key),
		"path-escaped":              "/v1/apikeys/" + url.PathEscape(key),
		"JSON":                      string(jsonKey),
		"hex":                       fmt.Sprintf("%x", key),
		"the auth field":            `"auth":"` + base64.StdEncoding.EncodeToString([]byte(user+":"+password)) + `"`,
		"a base64 dockerconfigjson": "data: " + base64.StdEncoding.EncodeToString([]byte(cfgJSON)),
		"a dockerconfigjson, then base64 at offset 1": base64.StdEncoding.EncodeToString([]byte("x" + cfgJSON)),
		"a dockerconfigjson, then base64 at offset 2": base64.StdEncoding.EncodeToString([]byte("xy" + cfgJSON)),
	} {
		if len(canary.Find(text, forms)) == 0 {
			t.Errorf("%s: no secret found in %q", name, text)
		}
	}
	clean := "fingerprint sha256:4ae900d21c8b, key ApiKey-0001, " + base64.StdEncoding.EncodeToString([]byte("iamapikey:other"))
	if leaks := canary.Find(clean, forms); len(leaks) > 0 {
		t.Errorf("found in clean text: %v", leaks)
	}
	if got := canary.Find("u "+key, forms)[0].String(); !strings.Contains(got, "secret 0 as is") {
		t.Errorf("leak described as %q", got)
	}
}
