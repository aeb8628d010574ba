package diagnose

import (
	"context"
	"fmt"
)

// checkBotPermissions reports every permission pullcheck lacked during this
// diagnosis. It runs last and waits for the other checks.
func checkBotPermissions(ctx context.Context, t *Target) (Result, error) {
	select {
	case <-t.settled:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("diagnosis cancelled: %w", ctx.Err())
	}
	missing := t.missingPermissions()
	if len(missing) == 0 {
		return pass("pullcheck had every permission its checks needed")
	}
	fix := manualRemedy("Grant pullcheck what it lacks", "See the README's permissions table for each permission.",
		"kubectl apply -k deploy/  # Kubernetes RBAC; IBM Cloud: ibmcloud iam service-policy-create <pullcheck service ID> ...")
	return Result{Status: Inconclusive, Summary: fmt.Sprintf("pullcheck lacks %d permission(s); the checks that needed them could not decide", len(missing)),
		Evidence: missing, Remedies: []Remedy{fix}}, nil
}
