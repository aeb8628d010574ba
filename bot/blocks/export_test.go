package blocks

import "github.com/pullcheck/pullcheck/diagnose"

// StageOf names the stage a finding is shown in.
func StageOf(id diagnose.FindingID) string { return stageName(stageOf(id)).s }
