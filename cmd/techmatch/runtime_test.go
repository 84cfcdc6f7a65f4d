package main

import (
	"strings"
	"testing"
)

func TestServingLimit(t *testing.T) {
	tests := []struct {
		live uint64
		want int64
	}{
		{0, servingMemoryLimit},
		{130 << 20, servingMemoryLimit}, // the demo after a restart
		{servingMemoryLimit / 3 * 2, servingMemoryLimit},
		{600 << 20, 900 << 20}, // five times the demo
	}
	for _, tt := range tests {
		if got := servingLimit(tt.live); got != tt.want {
			t.Errorf("servingLimit(%d MiB) = %d MiB, want %d MiB", tt.live>>20, got>>20, tt.want>>20)
		}
	}
}

func TestServeDemoScaleRange(t *testing.T) {
	for _, scale := range []string{"0", "-1", "101"} {
		_, errOut, err := runCmd(t, "serve", "--data", t.TempDir(), "--demo-scale", scale)
		if err == nil {
			t.Errorf("--demo-scale %s accepted", scale)
			continue
		}
		if !strings.Contains(errOut, "--demo-scale 应为 1 到 100 之间的整数") || !strings.Contains(errOut, "用法：techmatch serve") {
			t.Errorf("--demo-scale %s: no Chinese message with the usage:\n%s", scale, errOut)
		}
	}
}
