package icr

import "testing"

func TestLookup(t *testing.T) {
	tests := []struct {
		host                  string
		ok                    bool
		region                string
		private, isDeprecated bool
	}{
		{"us.icr.io", true, "us-south", false, false},
		{"US.ICR.IO:443", true, "us-south", false, false},
		{"private.de.icr.io", true, "eu-de", true, false},
		{"icr.io", true, "global", false, false},
		{"registry.ng.bluemix.net", true, "us-south", false, true},
		{"registry.bluemix.net", true, "global", false, true},
		{"docker.io", false, "", false, false},
		{"evil.us.icr.io.example.com", false, "", false, false},
		{"cp.icr.io", false, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			h, ok := Lookup(tt.host)
			if ok != tt.ok || h.Region != tt.region || h.Private != tt.private || h.IsDeprecated != tt.isDeprecated {
				t.Errorf("Lookup(%q) = %+v, %v", tt.host, h, ok)
			}
		})
	}
}

func TestAPIURL(t *testing.T) {
	for region, want := range map[string]string{"us-south": "https://us.icr.io", "eu-central": "https://de.icr.io", "global": "https://icr.io"} {
		if got, ok := APIURL(region); !ok || got != want {
			t.Errorf("APIURL(%q) = %q, %v; want %q", region, got, ok, want)
		}
	}
	if _, ok := APIURL("mars-1"); ok {
		t.Error("APIURL(mars-1) ok")
	}
}
