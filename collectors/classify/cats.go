package classify

import (
	"math/bits"
	"slices"

	"github.com/cdaudit/cdaudit/model"
)

// cat indexes model categories so a path's categories fit in one word.
type cat uint8

const (
	cBuild cat = iota
	cCI
	cContainer
	cCompose
	cK8s
	cHelm
	cKustomize
	cAutoscaling
	cRollout
	cIaC
	cDeploy
	cEnvConfig
	cMigration
	cLinter
	cSecurity
	cTestUnit
	cTestIntegration
	cTestE2E
	cTestPerf
	cTestSecurity
	cBDD
	cTestData
	cDevContainer
	cToolchain
	cLockfile
	cVendor
	cDepBot
	cCodeOwners
	cCoverage
	cDocs
	cSource
	numCats
)

// category returns the model category of c.
func (c cat) category() model.Category {
	switch c {
	case cBuild:
		return model.CatBuildScript
	case cCI:
		return model.CatCIConfig
	case cContainer:
		return model.CatContainer
	case cCompose:
		return model.CatCompose
	case cK8s:
		return model.CatKubernetes
	case cHelm:
		return model.CatHelm
	case cKustomize:
		return model.CatKustomize
	case cAutoscaling:
		return model.CatAutoscaling
	case cRollout:
		return model.CatRollout
	case cIaC:
		return model.CatIaC
	case cDeploy:
		return model.CatDeployScript
	case cEnvConfig:
		return model.CatEnvConfig
	case cMigration:
		return model.CatMigration
	case cLinter:
		return model.CatLinter
	case cSecurity:
		return model.CatSecurityScanner
	case cTestUnit:
		return model.CatTestUnit
	case cTestIntegration:
		return model.CatTestIntegration
	case cTestE2E:
		return model.CatTestE2E
	case cTestPerf:
		return model.CatTestPerformance
	case cTestSecurity:
		return model.CatTestSecurity
	case cBDD:
		return model.CatBDD
	case cTestData:
		return model.CatTestData
	case cDevContainer:
		return model.CatDevContainer
	case cToolchain:
		return model.CatToolchainPin
	case cLockfile:
		return model.CatLockfile
	case cVendor:
		return model.CatVendor
	case cDepBot:
		return model.CatDependencyBot
	case cCodeOwners:
		return model.CatCodeOwners
	case cCoverage:
		return model.CatCoverageConfig
	case cDocs:
		return model.CatDocs
	case cSource:
		return model.CatSource
	}
	return ""
}

// catSet is a set of categories.
type catSet uint64

func (s *catSet) add(c cat)     { *s |= 1 << c }
func (s catSet) has(c cat) bool { return s&(1<<c) != 0 }

// any reports whether s holds one of cs.
func (s catSet) any(cs ...cat) bool {
	for _, c := range cs {
		if s.has(c) {
			return true
		}
	}
	return false
}

// each calls fn for every category in s.
func (s catSet) each(fn func(cat)) {
	for s != 0 {
		i := bits.TrailingZeros64(uint64(s))
		fn(cat(i))
		s &^= 1 << i
	}
}

const testCats = catSet(1<<cTestUnit | 1<<cTestIntegration | 1<<cTestE2E | 1<<cTestPerf | 1<<cTestSecurity | 1<<cBDD)

// catFiles keeps, per category, the true count and the smallest
// model.MaxCategoryPaths paths in sorted order, whatever order they come in.
type catFiles struct {
	counts [numCats]int
	files  [numCats][]string
}

func (cf *catFiles) add(s catSet, p string) {
	s.each(func(c cat) {
		cf.counts[c]++
		l := cf.files[c]
		n := len(l)
		if n > 0 && l[n-1] < p {
			if n < model.MaxCategoryPaths {
				cf.files[c] = append(l, p)
			}
			return
		}
		i, found := slices.BinarySearch(l, p)
		if found {
			return
		}
		if n < model.MaxCategoryPaths {
			cf.files[c] = slices.Insert(l, i, p)
			return
		}
		if i < n {
			copy(l[i+1:], l[i:n-1])
			l[i] = p
		}
	})
}

func (cf *catFiles) fill(tf *model.TreeFacts) {
	tf.Files = map[model.Category][]string{}
	tf.Counts = map[model.Category]int{}
	for c := cat(0); c < numCats; c++ {
		if cf.counts[c] == 0 {
			continue
		}
		tf.Counts[c.category()] = cf.counts[c]
		tf.Files[c.category()] = cf.files[c]
	}
}
