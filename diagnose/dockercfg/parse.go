package dockercfg

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The secret types and data keys the kubelet reads pull credentials from.
const (
	typeDockerConfigJSON = "kubernetes.io/dockerconfigjson"
	keyDockerConfigJSON  = ".dockerconfigjson"
	typeDockercfg        = "kubernetes.io/dockercfg"
	keyDockercfg         = ".dockercfg"
)

// ParseSecret reads the credentials of a Secret of the given type from its
// data, as the kubelet does: a kubernetes.io/dockerconfigjson secret holds
// {"auths":{...}} under .dockerconfigjson, a legacy kubernetes.io/dockercfg
// secret holds the map of registries directly under .dockercfg. Any other type
// is ignored by the kubelet and reported here as a *MalformedError.
func ParseSecret(secretType string, data map[string][]byte) (*Config, error) {
	switch secretType {
	case typeDockerConfigJSON:
		raw, err := dataKey(data, keyDockerConfigJSON)
		if err != nil {
			return nil, err
		}
		return Parse(raw)
	case typeDockercfg:
		raw, err := dataKey(data, keyDockercfg)
		if err != nil {
			return nil, err
		}
		return parseAuths(raw, keyDockercfg)
	default:
		return nil, malformed("type %q, want %s", clip(secretType), typeDockerConfigJSON)
	}
}

// Parse reads the content of a .dockerconfigjson key: {"auths":{...}}.
// Every error is a *MalformedError.
func Parse(dockerConfigJSON []byte) (*Config, error) {
	var doc struct {
		Auths json.RawMessage `json:"auths"`
	}
	if err := json.Unmarshal(dockerConfigJSON, &doc); err != nil {
		return nil, malformed("%s", jsonReason(err, "top level"))
	}
	return parseAuths(doc.Auths, "auths")
}

// dataKey returns the non-empty value of key in a secret's data.
func dataKey(data map[string][]byte, key string) ([]byte, error) {
	raw, ok := data[key]
	if !ok {
		return nil, malformed("no %s key in data", key)
	}
	if len(raw) == 0 {
		return nil, malformed("key %s is empty", key)
	}
	return raw, nil
}

// entry is one registry's value in an auths map, with the field names the
// docker CLI writes. Like the kubelet, decoding matches them case-insensitively.
type entry struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	Auth          string `json:"auth"`
	Email         string `json:"email"`
	IdentityToken string `json:"identitytoken"`
	RegistryToken string `json:"registrytoken"`
}

// parseAuths decodes a map of registry key to entry; where names the map in
// errors ("auths" or ".dockercfg").
func parseAuths(raw json.RawMessage, where string) (*Config, error) {
	var auths map[string]json.RawMessage
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &auths); err != nil {
			return nil, malformed("%s", jsonReason(err, where))
		}
	}
	if len(auths) == 0 {
		return nil, malformed("no registries in %s", where)
	}
	cfg := &Config{Entries: make([]Credential, 0, len(auths))}
	for key, value := range auths {
		c, err := parseEntry(key, value)
		if err != nil {
			return nil, err
		}
		cfg.Entries = append(cfg.Entries, c)
	}
	sort.Slice(cfg.Entries, func(i, j int) bool { return cfg.Entries[i].Key < cfg.Entries[j].Key })
	return cfg, nil
}

// parseEntry decodes one registry entry. A non-empty auth field replaces
// username and password, as in the kubelet and the docker CLI.
func parseEntry(key string, raw json.RawMessage) (Credential, error) {
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return Credential{}, malformed("%s", jsonReason(err, "registry "+quoteKey(key)))
	}
	c := Credential{Key: key, Username: e.Username, Password: e.Password,
		IdentityToken: e.IdentityToken, RegistryToken: e.RegistryToken}
	if e.Auth == "" {
		return c, nil
	}
	decoded, err := base64.StdEncoding.DecodeString(e.Auth)
	if err != nil {
		return Credential{}, malformed("registry %s: auth field is not valid base64", quoteKey(key))
	}
	user, pass, ok := strings.Cut(string(decoded), ":")
	if !ok {
		return Credential{}, malformed("registry %s: auth field does not decode to user:password", quoteKey(key))
	}
	c.Username, c.Password = user, pass
	return c, nil
}

// jsonReason describes a decoding error from its typed fields only: the text
// of encoding/json errors may quote the input.
func jsonReason(err error, where string) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return "invalid JSON at offset " + strconv.FormatInt(syntax.Offset, 10)
	case errors.As(err, &typ) && typ.Field != "":
		return where + ": field " + quoteKey(typ.Field) + " is " + valueKind(typ.Value) + ", want " + jsonKind(typ.Type)
	case errors.As(err, &typ):
		return where + " is " + valueKind(typ.Value) + ", want " + jsonKind(typ.Type)
	default:
		return where + " is not valid JSON"
	}
}

// valueKind keeps the first word of UnmarshalTypeError.Value ("number 12"
// becomes "number"), dropping the literal.
func valueKind(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array", "object":
		return "an " + kind
	case "string", "number", "bool":
		return "a " + kind
	}
	return "of another type"
}

// jsonKind names the JSON kind a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "something else"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	}
	return t.Kind().String()
}

// quoteKey quotes a key or field name for a reason, clipped so that a huge
// key cannot flood a message.
func quoteKey(key string) string {
	return strconv.Quote(clip(key))
}

// clip shortens s to at most 64 bytes on a rune boundary.
func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
