package blocks_test

import (
	"time"

	"github.com/pullcheck/pullcheck/bot/blocks"
	d "github.com/pullcheck/pullcheck/diagnose"
)

// Fixtures are built by hand, in the shapes the checks produce, so that the
// golden files do not move when a check's wording does.

func fact(name, value string) d.Fact { return d.Fact{Name: name, Value: value} }

func result(id d.FindingID, s d.Status, summary string, evidence ...d.Fact) d.Result {
	return d.Result{ID: id, Status: s, Summary: summary, Evidence: evidence}
}

var (
	copySecret = d.Remedy{
		Action: d.CopyPullSecret, Title: "Copy all-icr-io into shop", Risk: d.Safe,
		Effect: "Creates secret shop/all-icr-io from default/all-icr-io, labelled as managed by pullcheck.",
		Args:   map[string]string{"namespace": "shop", "secret": "all-icr-io"},
		Manual: "kubectl get secret all-icr-io -n default -o yaml | sed 's/namespace: default/namespace: shop/' | kubectl create -n shop -f -",
	}
	patchSA = d.Remedy{
		Action: d.PatchServiceAccount, Title: "Add all-icr-io to service account default", Risk: d.Safe,
		Effect: "Adds all-icr-io to the imagePullSecrets of shop/default; pods created afterwards use it.",
		Args:   map[string]string{"namespace": "shop", "serviceAccount": "default", "secret": "all-icr-io"},
		Manual: `kubectl patch -n shop serviceaccount/default --type=json -p '[{"op":"add","path":"/imagePullSecrets/-","value":{"name":"all-icr-io"}}]'`,
	}
	restartPod = d.Remedy{
		Action: d.RestartPod, Title: "Restart pod web-7d9f", Risk: d.Disruptive,
		Effect: "Deletes pod shop/web-7d9f so that its controller creates a new one with the current pull secrets.",
		Args:   map[string]string{"namespace": "shop", "pod": "web-7d9f"},
		Manual: "kubectl delete pod -n shop web-7d9f",
	}
)

// results is a chain in catalogue order with one of each status; the root
// cause is pull-secret-not-copied.
func results() []d.Result {
	notCopied := result(d.PullSecretNotCopied, d.Fail, "shop has no copy of all-icr-io",
		fact("default/all-icr-io", "sha256:4ae900d21c8b"), fact("shop/all-icr-io", "not found"))
	notCopied.Remedies = []d.Remedy{copySecret, patchSA, restartPod}
	return []d.Result{
		result(d.PodNotFound, d.Pass, "pod shop/web-7d9f exists", fact("phase", "Pending"), fact("node", "10.240.0.11")),
		result(d.PodPullingOK, d.Warn, "container app cannot pull its image (ImagePullBackOff)",
			fact("image", "us.icr.io/shop/web:1.1"),
			fact("kubelet event", `Failed to pull image "us.icr.io/shop/web:1.1": 401 Unauthorized (seen 4×)`)),
		result(d.ClusterPullSecretMissing, d.Pass, "default/all-icr-io exists", fact("content", "sha256:4ae900d21c8b")),
		notCopied,
		result(d.ServiceAccountNotPatched, d.Skip, "the pod lists its pull secrets itself"),
		result(d.APIKeyDisabled, d.Inconclusive, "IAM did not answer: context deadline exceeded",
			fact("endpoint", "https://iam.cloud.ibm.com")),
	}
}

// report is a finished diagnosis of shop/web-7d9f with the given verdict.
func report(v d.Verdict) *d.Report {
	rep := &d.Report{
		Request:   d.Request{Namespace: "shop", Pod: "web-7d9f"},
		Container: "app", Image: "us.icr.io/shop/web:1.1",
		Verdict: v, Results: results(),
		Started:  time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		Duration: 1234 * time.Millisecond,
	}
	switch v {
	case d.RootCauseFound:
		rep.RootCause = &rep.Results[3]
	case d.PullsFine:
		for i := range rep.Results {
			rep.Results[i].Status = d.Pass
		}
		rep.Results[3].Remedies = nil
	}
	return rep
}

// fixButtons are the buttons commands offers for the root cause.
func fixButtons() []blocks.Button {
	return []blocks.Button{
		{ActionID: "apply-copy-pull-secret", Text: "Copy all-icr-io into shop", Value: "apply copy-pull-secret shop/all-icr-io", Primary: true},
		{ActionID: "apply-patch-service-account", Text: "Patch service account default", Value: "apply patch-service-account shop/default all-icr-io"},
		{ActionID: "apply-restart-pod", Text: "Restart pod web-7d9f", Value: "apply restart-pod shop/web-7d9f", Danger: true,
			Confirm: &blocks.Confirm{Title: "Restart pod web-7d9f?", Text: "Deletes shop/web-7d9f; its controller creates a new pod.", OK: "Restart", Deny: "Cancel"}},
		{ActionID: "rerun", Text: "Run again", Value: "pod shop/web-7d9f"},
	}
}

// showAllButton is the button of a finished checks message.
func showAllButton() *blocks.Button {
	return &blocks.Button{ActionID: "show-all-checks", Text: "Show all checks", Value: "pod shop/web-7d9f"}
}

// sweepFinding is a hygiene sweep's finding with its fix buttons.
func sweepFinding() blocks.Message {
	return blocks.SweepFinding("warning", "Namespace team-a has 2 pull-secret problems",
		[]string{"team-a has no all-icr-io copy while default has one; deployment/web relies on it",
			"service account default lists no pull secret, and deployment/web lists none either"},
		[]blocks.Button{
			{ActionID: "fix-copy-pull-secret", Text: "Copy all-icr-io into team-a", Value: "fix copy-pull-secret team-a/web-7d9f", Primary: true},
			{ActionID: "fix-patch-service-account", Text: "Add all-icr-io to service account default", Value: "fix patch-service-account team-a/web-7d9f", Primary: true},
		})
}
