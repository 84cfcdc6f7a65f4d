package datatest_test

import (
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/datatest"
	"github.com/techmatch/techmatch/data/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(testing.TB) data.Store { return datatest.New() })
}
