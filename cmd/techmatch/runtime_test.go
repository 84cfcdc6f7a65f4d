package main

import "testing"

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
