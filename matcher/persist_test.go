package matcher

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSavedModel checks that a model saved after a build is loaded by the
// next matcher instead of being rebuilt, and ranks exactly as the built one.
func TestSavedModel(t *testing.T) {
	ctx := context.Background()
	defer func(n int) { profileChunk = n }(profileChunk)
	profileChunk = 3 // several chunks
	path := filepath.Join(t.TempDir(), "matcher.model")
	m1, _ := newTestMatcher(t)
	m1.ModelStore, m1.ModelKey = FileModelStore{Path: path}, "k1"
	built, err := m1.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("model not saved: %v", err)
	}

	m2, _ := newTestMatcher(t)
	m2.ModelStore, m2.ModelKey = FileModelStore{Path: path}, "k1"
	loaded, err := m2.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Built.Equal(built.Built) || loaded.Seq != built.Seq {
		t.Fatalf("second matcher built its own model (built %v seq %d), want the saved one (%v, %d)",
			loaded.Built, loaded.Seq, built.Built, built.Seq)
	}
	if a1, d1 := built.Size(); true {
		if a2, d2 := loaded.Size(); a1 != a2 || d1 != d2 {
			t.Errorf("sizes %d/%d, want %d/%d", a2, d2, a1, d1)
		}
	}
	for _, id := range []string{"d-separator", "d-vision", "d-corn", "d-rehab", "d-feed", "d-ginseng"} {
		a, err := m1.MatchDemand(ctx, id, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := m2.MatchDemand(ctx, id, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: saved model ranks differently:\n%v\n%v", id, ids(a), ids(b))
		}
		if len(a) > 0 {
			x, _ := m1.MatchAchievement(ctx, a[0].ID, Options{})
			y, _ := m2.MatchAchievement(ctx, a[0].ID, Options{})
			if !reflect.DeepEqual(x, y) {
				t.Errorf("%s: saved model ranks demands differently:\n%v\n%v", a[0].ID, ids(x), ids(y))
			}
		}
	}
}

// TestSavedModelRejected checks that a saved model of another analysis, or
// a damaged one, is rebuilt rather than used.
func TestSavedModelRejected(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		key    string
		damage func([]byte) []byte
	}{
		{"other analysis", "k2", nil},
		{"flipped byte", "k1", func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b }},
		{"truncated", "k1", func(b []byte) []byte { return b[:len(b)-10] }},
		{"not a model", "k1", func([]byte) []byte { return []byte("hello") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "matcher.model")
			m1, _ := newTestMatcher(t)
			m1.ModelStore, m1.ModelKey = FileModelStore{Path: path}, "k1"
			built, err := m1.Model(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tc.damage != nil {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, tc.damage(b), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			m2, _ := newTestMatcher(t)
			m2.ModelStore, m2.ModelKey = FileModelStore{Path: path}, tc.key
			got, err := m2.Model(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.Built.Equal(built.Built) {
				t.Fatal("the unfit saved model was used")
			}
			// The rebuilt model replaced it.
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			again, err := DecodeModel(bytes.NewReader(b), tc.key)
			if err != nil {
				t.Fatalf("rebuilt model not saved: %v", err)
			}
			if !again.Built.Equal(got.Built) {
				t.Errorf("saved model built %v, want %v", again.Built, got.Built)
			}
		})
	}
}

// TestModelFileFields fails when the model's types gain a field that
// persist.go does not save: add it there and bump modelFileVersion.
func TestModelFileFields(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want int
	}{
		{Model{}, 7}, {profile{}, 11}, {catStats{}, 7}, {assocModel{}, 3}, {achMeta{}, 13},
	} {
		if n := reflect.TypeOf(tc.v).NumField(); n != tc.want {
			t.Errorf("%T has %d fields, persist.go knows %d: save the new ones and bump modelFileVersion", tc.v, n, tc.want)
		}
	}
}
