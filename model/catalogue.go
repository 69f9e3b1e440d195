package model

import (
	_ "embed"
	"fmt"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed catalogue.yaml
var catalogueYAML []byte

// Text is a piece of text in the seed's Chinese and in English.
type Text struct {
	ZH string `yaml:"zh" json:"zh"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("zh" or "en"; anything else gives English).
func (t Text) In(lang string) string {
	if lang == "zh" {
		return t.ZH
	}
	return t.EN
}

// LevelName names one of the five levels.
type LevelName struct {
	Level int  `yaml:"level" json:"level"`
	Name  Text `yaml:"name" json:"name"`
}

// Dimension is one column of a practice's level table.
type Dimension struct {
	ID   string `yaml:"id" json:"id"`
	Name Text   `yaml:"name" json:"name"`
	// Levels[i] is the criterion of level i+1.
	Levels []Text `yaml:"levels" json:"levels"`
	// AutomaticMax is the highest level evidence can prove; above it only an
	// attestation can raise the dimension.
	AutomaticMax int `yaml:"automatic_max" json:"automatic_max"`
	// Evidence says, in English, what can prove the dimension.
	Evidence string `yaml:"evidence" json:"evidence"`
}

// Criterion returns the text of level l (1–5).
func (d Dimension) Criterion(l int) Text {
	if l < 1 || l > len(d.Levels) {
		return Text{}
	}
	return d.Levels[l-1]
}

// Practice is one level table of the continuous-delivery part.
type Practice struct {
	ID         string      `yaml:"id" json:"id"`
	Area       Text        `yaml:"area" json:"area"`
	Name       Text        `yaml:"name" json:"name"`
	Dimensions []Dimension `yaml:"dimensions" json:"dimensions"`
}

// Dimension finds a dimension by id.
func (p Practice) Dimension(id string) (Dimension, bool) {
	for _, d := range p.Dimensions {
		if d.ID == id {
			return d, true
		}
	}
	return Dimension{}, false
}

// Catalogue is the whole level catalogue.
type Catalogue struct {
	Source    string      `yaml:"source" json:"source"`
	Levels    []LevelName `yaml:"level_names" json:"level_names"`
	Practices []Practice  `yaml:"practices" json:"practices"`
}

// Practice finds a practice by id.
func (c *Catalogue) Practice(id string) (Practice, bool) {
	for _, p := range c.Practices {
		if p.ID == id {
			return p, true
		}
	}
	return Practice{}, false
}

// Lookup finds a dimension by practice and dimension id.
func (c *Catalogue) Lookup(practice, dim string) (Dimension, bool) {
	p, ok := c.Practice(practice)
	if !ok {
		return Dimension{}, false
	}
	return p.Dimension(dim)
}

// LevelName returns the name of level l.
func (c *Catalogue) LevelName(l int) Text {
	for _, n := range c.Levels {
		if n.Level == l {
			return n.Name
		}
	}
	return Text{}
}

// DimensionCount counts the dimensions of all practices.
func (c *Catalogue) DimensionCount() int {
	n := 0
	for _, p := range c.Practices {
		n += len(p.Dimensions)
	}
	return n
}

var (
	catOnce sync.Once
	cat     *Catalogue
	catErr  error
)

// LoadCatalogue returns the embedded catalogue, parsed once and validated.
// Callers must not modify it.
func LoadCatalogue() (*Catalogue, error) {
	catOnce.Do(func() {
		var c Catalogue
		if err := yaml.Unmarshal(catalogueYAML, &c); err != nil {
			catErr = fmt.Errorf("embedded catalogue: %w", err)
			return
		}
		if err := c.validate(); err != nil {
			catErr = fmt.Errorf("embedded catalogue: %w", err)
			return
		}
		cat = &c
	})
	return cat, catErr
}

// MustCatalogue returns the embedded catalogue and panics if it is broken,
// which tests guarantee it is not. Tests and fuzz targets of several
// packages use it.
func MustCatalogue() *Catalogue {
	c, err := LoadCatalogue()
	if err != nil {
		panic(err)
	}
	return c
}

func (c *Catalogue) validate() error {
	if len(c.Levels) != 5 {
		return fmt.Errorf("want 5 level names, have %d", len(c.Levels))
	}
	seen := map[string]bool{}
	for _, p := range c.Practices {
		if p.ID == "" || seen[p.ID] {
			return fmt.Errorf("practice id %q empty or repeated", p.ID)
		}
		seen[p.ID] = true
		dims := map[string]bool{}
		for _, d := range p.Dimensions {
			if d.ID == "" || dims[d.ID] {
				return fmt.Errorf("%s: dimension id %q empty or repeated", p.ID, d.ID)
			}
			dims[d.ID] = true
			if len(d.Levels) != 5 {
				return fmt.Errorf("%s.%s: want 5 levels, have %d", p.ID, d.ID, len(d.Levels))
			}
			for i, l := range d.Levels {
				if l.ZH == "" || l.EN == "" {
					return fmt.Errorf("%s.%s: level %d lacks zh or en text", p.ID, d.ID, i+1)
				}
			}
			if d.AutomaticMax < 1 || d.AutomaticMax > 5 {
				return fmt.Errorf("%s.%s: automatic_max %d out of 1..5", p.ID, d.ID, d.AutomaticMax)
			}
		}
	}
	return nil
}
