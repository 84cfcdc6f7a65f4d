package bolt_test

import (
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) data.Store { return MustOpenDB(tb) })
}
