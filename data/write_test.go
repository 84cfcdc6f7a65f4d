package data_test

import (
	"strings"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

func TestTokenIDIndependentOfSecret(t *testing.T) {
	for range 50 {
		secret, tok, err := data.NewToken(data.TokenSpec{Role: data.RoleBroker}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		hexID := strings.TrimPrefix(tok.ID, "tok-")
		if len(hexID) != 12 {
			t.Fatalf("id %q", tok.ID)
		}
		if strings.Contains(secret, hexID) {
			t.Fatalf("token id %s is part of the secret %s", tok.ID, secret)
		}
	}
}

func TestTokenUsable(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	for _, tc := range []struct {
		name string
		tok  data.Token
		ok   bool
	}{
		{"plain", data.Token{}, true},
		{"expires later", data.Token{Expires: &future}, true},
		{"expired", data.Token{Expires: &past}, false},
		{"expires now", data.Token{Expires: &now}, false},
		{"revoked", data.Token{Revoked: &past}, false},
	} {
		err := tc.tok.Usable(now)
		if (err == nil) != tc.ok || (err != nil && data.ErrorCode(err) != data.EUNAUTHORIZED) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestContentID(t *testing.T) {
	a := &data.Achievement{Title: "一种玉米深加工工艺", Institution: "吉林大学", Keywords: []string{"玉米"}}
	b := *a
	b.Meta = data.Meta{Owner: "tok-1", Version: 3, Created: time.Now()}
	c := *a
	c.Title = "另一种工艺"
	ida, _ := data.ContentID(a)
	idb, _ := data.ContentID(&b)
	idc, _ := data.ContentID(&c)
	idd, _ := data.ContentID(&data.Demand{Title: a.Title})
	if ida != idb {
		t.Errorf("meta changed the id: %s %s", ida, idb)
	}
	if ida == idc {
		t.Errorf("different content, same id %s", ida)
	}
	if !strings.HasPrefix(ida, "a-h") || !strings.HasPrefix(idd, "d-h") {
		t.Errorf("prefixes: %s %s", ida, idd)
	}
	if err := (&data.Achievement{ID: ida, Title: "x"}).Validate(); err != nil {
		t.Errorf("content id %s does not validate: %v", ida, err)
	}
}
