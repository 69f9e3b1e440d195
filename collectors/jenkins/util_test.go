package jenkins

import (
	"slices"

	"github.com/cdaudit/cdaudit/model"
)

func slicesSort(ks []model.Kind) { slices.Sort(ks) }
