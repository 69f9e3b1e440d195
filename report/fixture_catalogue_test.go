package report

import (
	"fmt"

	"github.com/cdaudit/cdaudit/model"
)

// fixtureCatalogue builds a catalogue by hand with the real practice and
// dimension ids and names (docs: /work/shared/docs/cd-model.md) and short
// criteria, so tests do not depend on the embedded YAML.
func fixtureCatalogue() *model.Catalogue {
	type dim struct {
		id, zh, en string
		max        int
	}
	type prac struct {
		id, areaZH, areaEN, zh, en string
		dims                       []dim
	}
	ps := []prac{
		{"version-control", "配置管理", "Configuration management", "版本控制", "Version control", []dim{
			{"vcs", "版本控制系统", "Version control system", 4}, {"branching", "分支管理", "Branch management", 4},
			{"artifacts", "构建产物管理", "Artifact management", 3}, {"source-of-truth", "单一可信数据源", "Single source of truth", 4}}},
		{"traceability", "配置管理", "Configuration management", "版本可追溯性", "Version traceability", []dim{
			{"change-process", "变更过程", "Change process", 4}, {"change-tracing", "变更追溯", "Change tracing", 5},
			{"rollback", "变更回滚", "Change rollback", 2}}},
		{"build", "构建与持续集成", "Build and continuous integration", "构建实践", "Build practice", []dim{
			{"method", "构建方式", "Build method", 4}, {"environment", "构建环境", "Build environment", 4},
			{"schedule", "构建计划", "Build schedule", 4}, {"ownership", "构建职责", "Build ownership", 1}}},
		{"ci", "构建与持续集成", "Build and continuous integration", "持续集成", "Continuous integration", []dim{
			{"service", "集成服务", "Integration service", 2}, {"frequency", "集成频率", "Integration frequency", 5},
			{"method", "集成方式", "Integration method", 5}, {"feedback", "反馈周期", "Feedback cycle", 5}}},
		{"test-layering", "测试管理", "Test management", "测试分层策略", "Test layering", []dim{
			{"method", "分层方法", "Layering method", 3}, {"strategy", "分层策略", "Layering strategy", 3},
			{"timing", "测试时机", "Test timing", 4}}},
		{"code-quality", "测试管理", "Test management", "代码质量管理", "Code quality", []dim{
			{"rules", "质量规约", "Quality rules", 4}, {"strategy", "检查策略", "Check strategy", 3},
			{"method", "检查方式", "Check method", 4}, {"handling", "反馈处理", "Handling of results", 4}}},
		{"test-automation", "测试管理", "Test management", "自动化测试", "Automated testing", []dim{
			{"design", "自动化设计", "Automation design", 3}, {"development", "自动化开发", "Automation development", 4},
			{"execution", "自动化执行", "Automated execution", 3}, {"analysis", "自动化分析", "Automated analysis", 4}}},
		{"deploy-release", "部署与发布管理", "Deployment and release management", "部署与发布模式", "Deployment and release", []dim{
			{"method", "部署方式", "Deployment method", 4}, {"activity", "部署活动", "Deployment activity", 5},
			{"strategy", "部署策略", "Deployment strategy", 4}, {"quality", "部署质量", "Deployment quality", 4}}},
		{"pipeline", "部署与发布管理", "Deployment and release management", "持续部署流水线", "Deployment pipeline", []dim{
			{"collaboration", "协作模式", "Collaboration", 3}, {"process", "流水线过程", "Pipeline process", 4},
			{"visibility", "过程可视化", "Visibility", 4}}},
		{"environment", "持续交付", "Continuous delivery", "环境管理", "Environment management", []dim{
			{"types", "环境类型", "Environment types", 5}, {"provisioning", "环境构建", "Provisioning", 5},
			{"config", "环境依赖与配置管理", "Dependencies and configuration", 5}}},
		{"test-data", "数据管理", "Data management", "测试数据管理", "Test data management", []dim{
			{"source", "数据来源", "Data source", 2}, {"coverage", "数据覆盖", "Data coverage", 1},
			{"independence", "数据独立性", "Data independence", 2}, {"security", "数据安全", "Data security", 1}}},
		{"data-change", "数据管理", "Data management", "数据变更管理", "Database change management", []dim{
			{"process", "变更过程", "Change process", 4}, {"rollback", "兼容回滚", "Compatibility and rollback", 3},
			{"versioning", "版本控制", "Versioning", 2}, {"monitoring", "数据监控", "Data monitoring", 3}}},
		{"metrics", "度量与反馈", "Metrics and feedback", "度量指标", "Metrics", []dim{
			{"definition", "度量指标定义", "Metric definition", 2}, {"types", "度量指标类型", "Metric types", 4},
			{"data", "度量数据管理", "Metric data", 4}, {"evolution", "度量指标更新", "Metric evolution", 1}}},
		{"improvement", "度量与反馈", "Metrics and feedback", "度量驱动改进", "Metric-driven improvement", []dim{
			{"reporting", "报告生成方式", "Reporting", 3}, {"timeliness", "报告有效性", "Timeliness", 4},
			{"audience", "报告覆盖范围", "Audience", 2}, {"feedback", "反馈改进", "Feedback and improvement", 2}}},
	}
	real := map[string][]model.Text{
		"version-control.vcs": {
			{ZH: "无统一的版本控制系统", EN: "no unified VCS; code on developers' machines"},
			{ZH: "集中式版本控制系统", EN: "centralised VCS holds all source"},
			{ZH: "分布式版本控制系统", EN: "distributed VCS holds source, config files, build and deploy scripts"},
			{ZH: "数据库变更脚本与环境配置", EN: "also DB change scripts and environment config; VCS supports automated change operations"},
			{ZH: "生命周期全部配置项纳入版本控制", EN: "every configuration item of the lifecycle in VCS; the whole delivery process can be traced back for audit"},
		},
		"version-control.branching": {
			{ZH: "无分支策略", EN: "no branch strategy, chaotic branch lifetimes"},
			{ZH: "长周期大批量提交", EN: "code committed in long cycles and big batches; merges bring many conflicts and errors"},
			{ZH: "短分支，频繁提交", EN: "short branches, frequent commits: each developer commits at least once a day; merges are smooth"},
			{ZH: "分支策略满足持续交付", EN: "branch strategy meets continuous delivery needs, adapts to delivery"},
			{ZH: "分支策略持续优化", EN: "branch strategy continuously optimised for team collaboration"},
		},
	}
	c := &model.Catalogue{
		Source: "fixture: CAICT DevOps maturity model, part 3 (continuous delivery)",
		Levels: []model.LevelName{
			{Level: 1, Name: model.Text{ZH: "阻碍的", EN: "Regressive"}},
			{Level: 2, Name: model.Text{ZH: "可重复的", EN: "Repeatable"}},
			{Level: 3, Name: model.Text{ZH: "一致的", EN: "Consistent"}},
			{Level: 4, Name: model.Text{ZH: "量化的", EN: "Quantitative"}},
			{Level: 5, Name: model.Text{ZH: "优化的", EN: "Optimizing"}},
		},
	}
	for _, p := range ps {
		mp := model.Practice{ID: p.id, Area: model.Text{ZH: p.areaZH, EN: p.areaEN}, Name: model.Text{ZH: p.zh, EN: p.en}}
		for _, d := range p.dims {
			levels := real[p.id+"."+d.id]
			if levels == nil {
				for l := 1; l <= 5; l++ {
					levels = append(levels, model.Text{
						ZH: fmt.Sprintf("%s第%d级的判定标准", d.zh, l),
						EN: fmt.Sprintf("%s: criterion of level %d", d.en, l),
					})
				}
			}
			mp.Dimensions = append(mp.Dimensions, model.Dimension{
				ID: d.id, Name: model.Text{ZH: d.zh, EN: d.en}, Levels: levels, AutomaticMax: d.max,
				Evidence: "fixture",
			})
		}
		c.Practices = append(c.Practices, mp)
	}
	return c
}
