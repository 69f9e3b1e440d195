package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantIDs is the practice and dimension ids of docs/cd-model.md, in order.
var wantIDs = []struct {
	practice string
	dims     []string
}{
	{"version-control", []string{"vcs", "branching", "artifacts", "source-of-truth"}},
	{"traceability", []string{"change-process", "change-tracing", "rollback"}},
	{"build", []string{"method", "environment", "schedule", "ownership"}},
	{"ci", []string{"service", "frequency", "method", "feedback"}},
	{"test-layering", []string{"method", "strategy", "timing"}},
	{"code-quality", []string{"rules", "strategy", "method", "handling"}},
	{"test-automation", []string{"design", "development", "execution", "analysis"}},
	{"deploy-release", []string{"method", "activity", "strategy", "quality"}},
	{"pipeline", []string{"collaboration", "process", "visibility"}},
	{"environment", []string{"types", "provisioning", "config"}},
	{"test-data", []string{"source", "coverage", "independence", "security"}},
	{"data-change", []string{"process", "rollback", "versioning", "monitoring"}},
	{"metrics", []string{"definition", "types", "data", "evolution"}},
	{"improvement", []string{"reporting", "timeliness", "audience", "feedback"}},
}

// wantAutomaticMax is the "Automatic up to" of docs/cd-model.md (base numbers).
var wantAutomaticMax = map[string]int{
	"version-control.vcs": 4, "version-control.branching": 4,
	"version-control.artifacts": 3, "version-control.source-of-truth": 4,
	"traceability.change-process": 4, "traceability.change-tracing": 5, "traceability.rollback": 2,
	"build.method": 4, "build.environment": 4, "build.schedule": 4, "build.ownership": 1,
	"ci.service": 2, "ci.frequency": 5, "ci.method": 5, "ci.feedback": 5,
	"test-layering.method": 3, "test-layering.strategy": 3, "test-layering.timing": 4,
	"code-quality.rules": 4, "code-quality.strategy": 3, "code-quality.method": 4, "code-quality.handling": 4,
	"test-automation.design": 3, "test-automation.development": 4,
	"test-automation.execution": 3, "test-automation.analysis": 4,
	"deploy-release.method": 4, "deploy-release.activity": 5,
	"deploy-release.strategy": 4, "deploy-release.quality": 4,
	"pipeline.collaboration": 3, "pipeline.process": 4, "pipeline.visibility": 4,
	"environment.types": 5, "environment.provisioning": 5, "environment.config": 5,
	"test-data.source": 2, "test-data.coverage": 1, "test-data.independence": 2, "test-data.security": 1,
	"data-change.process": 4, "data-change.rollback": 3, "data-change.versioning": 2, "data-change.monitoring": 3,
	"metrics.definition": 2, "metrics.types": 4, "metrics.data": 4, "metrics.evolution": 1,
	"improvement.reporting": 3, "improvement.timeliness": 4, "improvement.audience": 2, "improvement.feedback": 2,
}

func mustLoad(t *testing.T) *Catalogue {
	t.Helper()
	c, err := LoadCatalogue()
	if err != nil {
		t.Fatalf("LoadCatalogue: %v", err)
	}
	return c
}

func TestLoadCatalogueCounts(t *testing.T) {
	c := mustLoad(t)
	if got := len(c.Practices); got != 14 {
		t.Errorf("practices = %d, want 14", got)
	}
	if got := c.DimensionCount(); got != 52 {
		t.Errorf("dimensions = %d, want 52", got)
	}
	if c.Source == "" || !strings.Contains(c.Source, "CAICT") {
		t.Errorf("source = %q, want a line naming the CAICT seed", c.Source)
	}
	if again, _ := LoadCatalogue(); again != c {
		t.Error("LoadCatalogue returned a different catalogue the second time")
	}
}

func TestLevelNames(t *testing.T) {
	c := mustLoad(t)
	want := []LevelName{
		{1, Text{ZH: "阻碍的", EN: "Regressive"}},
		{2, Text{ZH: "可重复的", EN: "Repeatable"}},
		{3, Text{ZH: "一致的", EN: "Consistent"}},
		{4, Text{ZH: "量化的", EN: "Quantitative"}},
		{5, Text{ZH: "优化的", EN: "Optimizing"}},
	}
	if diff := cmp.Diff(want, c.Levels); diff != "" {
		t.Errorf("level names (-want +got):\n%s", diff)
	}
	if got := c.LevelName(3).In("en"); got != "Consistent" {
		t.Errorf("LevelName(3) = %q", got)
	}
	if got := c.LevelName(6); got != (Text{}) {
		t.Errorf("LevelName(6) = %v, want empty", got)
	}
}

func TestIDs(t *testing.T) {
	c := mustLoad(t)
	var want, got []string
	for _, p := range wantIDs {
		for _, d := range p.dims {
			want = append(want, p.practice+"."+d)
		}
	}
	for _, p := range c.Practices {
		for _, d := range p.Dimensions {
			got = append(got, p.ID+"."+d.ID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("practice.dimension ids (-want +got):\n%s", diff)
	}
	for _, id := range want {
		p, d, _ := strings.Cut(id, ".")
		if _, ok := c.Lookup(p, d); !ok {
			t.Errorf("Lookup(%q, %q) failed", p, d)
		}
	}
	if _, ok := c.Lookup("ci", "nope"); ok {
		t.Error("Lookup of an unknown dimension succeeded")
	}
	if _, ok := c.Lookup("nope", "method"); ok {
		t.Error("Lookup of an unknown practice succeeded")
	}
}

func TestAutomaticMax(t *testing.T) {
	c := mustLoad(t)
	got := map[string]int{}
	for _, p := range c.Practices {
		for _, d := range p.Dimensions {
			got[p.ID+"."+d.ID] = d.AutomaticMax
		}
	}
	if diff := cmp.Diff(wantAutomaticMax, got); diff != "" {
		t.Errorf("automatic_max (-want +got):\n%s", diff)
	}
}

func TestEveryCellHasText(t *testing.T) {
	c := mustLoad(t)
	for _, p := range c.Practices {
		t.Run(p.ID, func(t *testing.T) {
			for _, txt := range []Text{p.Area, p.Name} {
				if txt.ZH == "" || txt.EN == "" {
					t.Errorf("area or name lacks zh or en: %+v", txt)
				}
			}
			for _, d := range p.Dimensions {
				if d.Name.ZH == "" || d.Name.EN == "" {
					t.Errorf("%s: name lacks zh or en: %+v", d.ID, d.Name)
				}
				if strings.TrimSpace(d.Evidence) == "" {
					t.Errorf("%s: no evidence", d.ID)
				}
				if len(d.Levels) != 5 {
					t.Fatalf("%s: %d levels, want 5", d.ID, len(d.Levels))
				}
				for l := 1; l <= 5; l++ {
					cell := d.Criterion(l)
					if cell.ZH == "" || cell.EN == "" {
						t.Errorf("%s level %d lacks zh or en: %+v", d.ID, l, cell)
					}
					if cell.ZH != strings.TrimSpace(cell.ZH) || cell.EN != strings.TrimSpace(cell.EN) {
						t.Errorf("%s level %d has surrounding space", d.ID, l)
					}
					// A "同上" cell must read on its own in English.
					if strings.HasPrefix(cell.ZH, "同上") {
						if l == 1 {
							t.Errorf("%s level 1 says 同上", d.ID)
						}
						if !strings.HasPrefix(cell.EN, "As level ") || len(cell.EN) < len("As level N. x") {
							t.Errorf("%s level %d: 同上 rendered as %q", d.ID, l, cell.EN)
						}
					}
				}
				if got := d.Criterion(0); got != (Text{}) {
					t.Errorf("%s: Criterion(0) = %v, want empty", d.ID, got)
				}
			}
		})
	}
}

// TestSeedCells checks a handful of cells against the seed's text, verbatim.
func TestSeedCells(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		practice, dim string
		level         int
		zh            string
	}{
		{"ci", "frequency", 3, "研发人员至少每天向代码主干集成一次"},
		{"ci", "feedback", 4, "集成问题反馈和解决控制在30分钟以内完成"},
		{"version-control", "source-of-truth", 1, "无"},
		{"version-control", "artifacts", 5, "同上"},
		{"version-control", "vcs", 4, "将数据库变更脚本和环境配置等纳入版本控制系统管理 版本控制系统支持自动化的变更操作"},
		{"traceability", "rollback", 5, "支持任何时间点全部状态的自动化回滚需求"},
		{"build", "environment", 3, "构建环境配置实现标准化，有独立的构建集群，单次构建控制在小时级"},
		{"test-layering", "strategy", 3, "对测试分层策略进行系统的规划，用户/业务级、接口/服务级、代码级测试分布比例由低到高，充分设计；对非功能性测试进行全面系统的设计"},
		{"deploy-release", "activity", 5, "持续部署，每次变更都触发一次自动化生产环境部署过程"},
		{"environment", "types", 2, "IT交付过程意识到部分测试环境的重要性，开始提供功能测试环境。"},
		{"test-data", "security", 5, "同上"},
		{"data-change", "rollback", 3, "每次数据变更同时提供明确的恢复回滚机制，并进行变更测试，如：提供升级和回滚两个自动化脚本"},
		{"metrics", "types", 2, "度量指标以结果指标为主，如变更频率，需求交付前置时间，变更失败率和平均修复时间，"},
		{"improvement", "feedback", 2, "测试报告中反馈的问题录入问题追踪系统，进行持续跟踪"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s.%s/L%d", tt.practice, tt.dim, tt.level), func(t *testing.T) {
			d, ok := c.Lookup(tt.practice, tt.dim)
			if !ok {
				t.Fatalf("no dimension %s.%s", tt.practice, tt.dim)
			}
			if diff := cmp.Diff(tt.zh, d.Criterion(tt.level).In("zh")); diff != "" {
				t.Errorf("zh (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPracticeNames(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		id         string
		area, name Text
	}{
		{"version-control", Text{"配置管理", "Configuration management"}, Text{"版本控制", "Version control"}},
		{"ci", Text{"构建与持续集成", "Build and continuous integration"}, Text{"持续集成", "Continuous integration"}},
		{"environment", Text{"环境管理", "Environment management"}, Text{"环境管理", "Environment management"}},
		{"improvement", Text{"度量与反馈", "Measurement and feedback"}, Text{"度量驱动改进", "Metric-driven improvement"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, ok := c.Practice(tt.id)
			if !ok {
				t.Fatalf("no practice %q", tt.id)
			}
			if diff := cmp.Diff([]Text{tt.area, tt.name}, []Text{p.Area, p.Name}); diff != "" {
				t.Errorf("area, name (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	five := func() []Text {
		l := make([]Text, 5)
		for i := range l {
			l[i] = Text{ZH: "甲", EN: "a"}
		}
		return l
	}
	real, err := LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	names := real.Levels
	good := func() Catalogue {
		return Catalogue{Levels: names, Practices: []Practice{{
			ID:         "p",
			Dimensions: []Dimension{{ID: "d", Levels: five(), AutomaticMax: 3}},
		}}}
	}
	tests := []struct {
		name   string
		mutate func(*Catalogue)
		want   string // substring of the error; "" for none
	}{
		{"good", func(*Catalogue) {}, ""},
		{"level names", func(c *Catalogue) { c.Levels = c.Levels[:4] }, "level names"},
		{"empty practice id", func(c *Catalogue) { c.Practices[0].ID = "" }, "practice id"},
		{"repeated practice", func(c *Catalogue) { c.Practices = append(c.Practices, c.Practices[0]) }, "practice id"},
		{"repeated dimension", func(c *Catalogue) {
			c.Practices[0].Dimensions = append(c.Practices[0].Dimensions, c.Practices[0].Dimensions[0])
		}, "dimension id"},
		{"four levels", func(c *Catalogue) { c.Practices[0].Dimensions[0].Levels = five()[:4] }, "want 5 levels"},
		{"missing en", func(c *Catalogue) { c.Practices[0].Dimensions[0].Levels[2].EN = "" }, "level 3 lacks"},
		{"automatic_max 0", func(c *Catalogue) { c.Practices[0].Dimensions[0].AutomaticMax = 0 }, "automatic_max"},
		{"automatic_max 6", func(c *Catalogue) { c.Practices[0].Dimensions[0].AutomaticMax = 6 }, "automatic_max"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.mutate(&c)
			err := c.validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
