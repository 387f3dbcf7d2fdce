package training_test

import (
	"testing"

	"mamori/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
