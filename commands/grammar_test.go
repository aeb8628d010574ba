package commands

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pullcheck/pullcheck/diagnose"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Command
		wantErr string
	}{
		{"pod shop/web-7d9f", Command{Verb: Pod, Ref: ObjectRef{"shop", "web-7d9f"}}, ""},
		{"<@UBOT> pod shop/web-7d9f", Command{Verb: Pod, Ref: ObjectRef{"shop", "web-7d9f"}}, ""},
		{"shop/web-7d9f", Command{Verb: Pod, Ref: ObjectRef{"shop", "web-7d9f"}}, ""},
		{"POD shop/web", Command{Verb: Pod, Ref: ObjectRef{"shop", "web"}}, ""},
		{"deployment shop/web", Command{Verb: Deployment, Ref: ObjectRef{"shop", "web"}}, ""},
		{"namespace shop", Command{Verb: Namespace, Namespace: "shop"}, ""},
		{"image us.icr.io/shop/web:1.2", Command{Verb: Image, Image: "us.icr.io/shop/web:1.2", Namespace: "default"}, ""},
		{"image us.icr.io/shop/web:1.2 in shop", Command{Verb: Image, Image: "us.icr.io/shop/web:1.2", Namespace: "shop"}, ""},
		{"quota", Command{Verb: Quota}, ""},
		{"quota eu-central", Command{Verb: Quota, Region: "eu-de"}, ""},
		{"help", Command{Verb: Help}, ""},
		{"", Command{Verb: Help}, ""},
		{"fix copy-pull-secret shop/web-1", Command{Verb: Fix, Action: diagnose.CopyPullSecret, Ref: ObjectRef{"shop", "web-1"}}, ""},
		{"fix copy-pull-secret shop/web-1 pull-secret-missing secret=regcred", Command{Verb: Fix, Action: diagnose.CopyPullSecret,
			Ref: ObjectRef{"shop", "web-1"}, Finding: diagnose.PullSecretMissing, Args: map[string]string{"secret": "regcred"}}, ""},
		{"fix patch-service-account shop/web-1 serviceAccount=builder secret=all-icr-io", Command{Verb: Fix, Action: diagnose.PatchServiceAccount,
			Ref: ObjectRef{"shop", "web-1"}, Args: map[string]string{"secret": "all-icr-io", "serviceAccount": "builder"}}, ""},
		{"fix restart-pod shop/web-1 pod-predates-service-account-patch pod=web-1 uid=0a1b-2c --yes", Command{Verb: Fix, Action: diagnose.RestartPod,
			Ref: ObjectRef{"shop", "web-1"}, Finding: diagnose.PodPredatesServiceAccountPatch, Args: map[string]string{"pod": "web-1", "uid": "0a1b-2c"},
			Confirmed: true}, ""},
		{"fix restart-pod shop/web-1 --yes", Command{Verb: Fix, Action: diagnose.RestartPod, Ref: ObjectRef{"shop", "web-1"}, Confirmed: true}, ""},
		{"fix copy-pull-secret shop/web-1 secret=kube-system/token", Command{}, "is not a valid value of fix argument secret"},
		{"fix copy-pull-secret shop/web-1 namespace=kube-system", Command{}, `"namespace=kube-system" is not a fix argument`},
		{"fix copy-pull-secret shop/web-1 secret=a secret=b", Command{}, "fix argument secret is given twice"},
		{"fix copy-pull-secret shop/web-1 Pull_Secret", Command{}, "is not a finding ID"},
		{"fix copy-pull-secret shop/web-1 secret=a pull-secret-missing", Command{}, `"pull-secret-missing" is not a fix argument`},
		{"fix restart-pod shop/web-1 --yes --yes", Command{}, `"--yes" is not a finding ID`},
		{"fix restart-pod shop/web-1 x=1", Command{}, `"x=1" is not a fix argument`},
		{"fix apply-cluster-pull-secret shop/web-1 cluster-pull-secret-missing cluster=a;b", Command{}, "is not a valid value of fix argument cluster"},
		{"pod shop/" + strings.Repeat("w", MaxText), Command{}, "a command is at most 2000 characters"},
		{"pod prod-eu shop/web-7d9f", Command{Verb: Pod, Cluster: "prod-eu", Ref: ObjectRef{"shop", "web-7d9f"}}, ""},
		{"deployment prod-eu shop/web", Command{Verb: Deployment, Cluster: "prod-eu", Ref: ObjectRef{"shop", "web"}}, ""},
		{"namespace prod-eu", Command{Verb: Namespace, Namespace: "prod-eu"}, ""},
		{"namespace prod-eu prod-eu", Command{Verb: Namespace, Cluster: "prod-eu", Namespace: "prod-eu"}, ""},
		{"image prod-eu us.icr.io/shop/web:1.2", Command{Verb: Image, Cluster: "prod-eu", Image: "us.icr.io/shop/web:1.2", Namespace: "default"}, ""},
		{"image prod-eu us.icr.io/shop/web:1.2 in shop", Command{Verb: Image, Cluster: "prod-eu", Image: "us.icr.io/shop/web:1.2", Namespace: "shop"}, ""},
		{"fix prod-eu copy-pull-secret shop/web-1", Command{Verb: Fix, Cluster: "prod-eu", Action: diagnose.CopyPullSecret, Ref: ObjectRef{"shop", "web-1"}}, ""},
		{"clusters", Command{Verb: Clusters}, ""},
		{"clusters prod-eu", Command{}, "clusters takes no argument"},
		{"pod Prod_EU shop/web", Command{}, "pod expects <namespace>/<name>"},
		{"quota prod-eu us-south", Command{}, "at most one region"},
		{"frobnicate", Command{}, `unknown command "frobnicate"`},
		{"pod", Command{}, "pod expects <namespace>/<name>"},
		{"pod shop", Command{}, "is not <namespace>/<pod name>"},
		{"pod Shop/web", Command{}, "not a valid namespace name"},
		{"deployment a/b c", Command{}, "deployment expects"},
		{"namespace Shop_1", Command{}, "not a valid namespace name"},
		{"namespace", Command{}, "namespace expects one namespace"},
		{"image", Command{}, "image expects"},
		{"image us.icr.io/Shop/web", Command{}, "is not an image reference"},
		{"image us.icr.io/shop/web:1 on shop", Command{}, "image expects"},
		{"quota mars", Command{}, `"mars" is not a registry region`},
		{"quota a b", Command{}, "at most one region"},
		{"fix rm-rf shop/web", Command{}, `"rm-rf" is not a fix`},
		{"fix rerun shop/web", Command{}, `"rerun" is not a fix`},
		{"fix restart-pod shop", Command{}, "is not <namespace>/<pod name>"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.wantErr != "" {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want a UsageError with %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// FuzzParse: any text parses into a command whose canonical text parses back
// to the same command, or into a UsageError of bounded size.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"pod shop/web", "<@U1> deployment a/b", "image us.icr.io/a/b:1 in c", "quota us-south",
		"fix restart-pod a/b", "namespace x", "help", "pod a/b/c", "\x00", "image :::",
		"fix restart-pod a/b pod-predates-service-account-patch pod=b uid=1-2 --yes", "fix copy-pull-secret a/b x secret=y secret=z",
		"fix sync-pull-secret a/b pull-secret-stale secret=all-icr-io", "fix apply-cluster-pull-secret a/b c cluster=c1.x_y --yes",
		"pod prod-eu a/b", "image in us.icr.io/a/b:1", "fix c1 restart-pod a/b", "namespace a b", "clusters"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			var ue *UsageError
			if !errors.As(err, &ue) || len(err.Error()) > 600 {
				t.Fatalf("Parse(%q): %v", s, err)
			}
			return
		}
		if len(c.String()) > MaxText {
			t.Fatalf("canonical text of %q is %d characters, more than a button value holds", s, len(c.String()))
		}
		again, err := Parse(c.String())
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", c.String(), s, err)
		}
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("round trip of %q (-first +again):\n%s", s, diff)
		}
	})
}

// FuzzFixCommand: whatever a remedy holds, FixCommand either refuses it or
// names it in a button value that fits Slack's limit and parses back to
// the same command, with the same arguments.
func FuzzFixCommand(f *testing.F) {
	f.Add("copy-pull-secret", "shop", "web-1", "pull-secret-missing", "secret", "regcred", "namespace", "shop", false)
	f.Add("restart-pod", "shop", "web-1", "pod-predates-service-account-patch", "uid", "1-2", "pod", "web-1", true)
	f.Add("apply-cluster-pull-secret", "shop", "web-1", "", "cluster", "", "namespace", "other", true)
	f.Add("copy-pull-secret", "shop", "web-1", "x", "secret", "a b", "secret", "--yes", false)
	f.Fuzz(func(t *testing.T, action, ns, pod, finding, k1, v1, k2, v2 string, disruptive bool) {
		ref, err := ParseObjectRef("pod", ns+"/"+pod)
		if err != nil {
			return
		}
		r := diagnose.Remedy{Action: diagnose.Action(action), Args: map[string]string{k1: v1, k2: v2}, Risk: diagnose.Safe}
		if disruptive {
			r.Risk = diagnose.Disruptive
		}
		c, ok := FixCommand(ref, diagnose.FindingID(finding), r)
		if !ok {
			return
		}
		if len(c.String()) > MaxText {
			t.Fatalf("%q: %d characters", c.String(), len(c.String()))
		}
		again, err := Parse(c.String())
		if err != nil {
			t.Fatalf("FixCommand(%+v) = %q, which does not parse: %v", r, c.String(), err)
		}
		if diff := cmp.Diff(c, again); diff != "" {
			t.Fatalf("round trip of %q (-made +parsed):\n%s", c.String(), diff)
		}
		for k, v := range r.Args {
			if got := again.Args[k]; k != "namespace" && v != "" && got != v {
				t.Fatalf("argument %s=%q came back as %q", k, v, got)
			}
		}
	})
}
