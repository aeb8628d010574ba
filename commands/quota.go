package commands

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/pullcheck/pullcheck/diagnose/ibmcloud"
	"github.com/pullcheck/pullcheck/diagnose/icr"
)

// quota shows registry storage and pull traffic against their limits, for
// one region or every region, in pullcheck's own account.
func (s *Service) quota(ctx context.Context, cmd Command, out Output) error {
	acct, err := s.IBM.BotAccount(ctx)
	if err != nil {
		return err
	}
	regions := []string{cmd.Region}
	if cmd.Region == "" {
		regions = nil
		for _, d := range icr.Domains {
			regions = append(regions, d.Region)
		}
	}
	lines := make([]string, len(regions))
	var wg sync.WaitGroup
	for i, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lines[i] = quotaLine(ctx, s.IBM, r, acct)
		}()
	}
	wg.Wait()
	var shown []string
	for _, l := range lines {
		if l != "" {
			shown = append(shown, l)
		}
	}
	if len(shown) == 0 {
		shown = []string{"no registry usage in any region"}
	}
	return s.private(ctx, out, InfoReply, "Registry quota of account "+acct+":\n"+strings.Join(shown, "\n"))
}

func quotaLine(ctx context.Context, ibm *ibmcloud.Client, region, acct string) string {
	q, err := ibm.Quota(ctx, region, acct)
	if err != nil {
		return fmt.Sprintf("• %s: %v", region, err)
	}
	if q.StorageUsed == 0 && q.TrafficUsed == 0 {
		return ""
	}
	return fmt.Sprintf("• %s: storage %s, pull traffic %s", region, usage(q.StorageUsed, q.StorageLimit), usage(q.TrafficUsed, q.TrafficLimit))
}

func usage(used, limit int64) string {
	if limit < 0 {
		return fmt.Sprintf("%s (unlimited)", mib(used))
	}
	pct := 0.0
	if limit > 0 {
		pct = 100 * float64(used) / float64(limit)
	}
	return fmt.Sprintf("%s of %s (%.0f%%)", mib(used), mib(limit), pct)
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
