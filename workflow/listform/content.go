package listform

import (
	"strconv"
	"strings"

	"bayu/workflow"
)

// InferContent guesses the kind of content (征集内容) of an item: the notice's
// form has no column for it, yet every exhibit needs one. It looks at the
// category and the description with this small mapping, tried in order, on
// the category first and on the description only when the category says
// nothing:
//
//	competition            奖牌 奖杯 奖章 竞赛 世赛 技能大赛 大赛 获奖 比赛 吉祥物 徽章 参赛
//	production_equipment   设备 机床 工具 设施 器械 仪器 机器 车床 机械 织机 农具
//	historical             文献 史料 老照片 历史 档案 古籍 手稿 旧址
//	historical             证书 奖状 照片 when the era is before 2000 (民国, 1950年代, 1978)
//	craft_work             everything else
//
// Competition comes first so that 比赛工具 (a competition's tool, named by the
// notice's fourth kind) is not taken for equipment. The guess is only a default:
// an explicit 征集内容 column wins, and the kind can be edited later.
func InferContent(category, description, era string) workflow.ContentType {
	for _, text := range []string{category, description} {
		if c, ok := matchContent(text, era); ok {
			return c
		}
	}
	return workflow.CraftWork
}

var contentWords = []struct {
	kind  workflow.ContentType
	words []string
}{
	{workflow.Competition, []string{"奖牌", "奖杯", "奖章", "竞赛", "世赛", "技能大赛", "大赛", "获奖", "比赛", "吉祥物", "徽章", "参赛"}},
	{workflow.ProductionEquipment, []string{"设备", "机床", "工具", "设施", "器械", "仪器", "机器", "车床", "机械", "织机", "农具"}},
	{workflow.Historical, []string{"文献", "史料", "老照片", "历史", "档案", "古籍", "手稿", "旧址"}},
}

// oldRecords are kinds of item that are history only when they are old: a
// certificate from 1958 documents the past, one from 2021 honours a craftsman.
var oldRecords = []string{"证书", "奖状", "照片"}

func matchContent(text, era string) (workflow.ContentType, bool) {
	if text == "" {
		return "", false
	}
	for _, cw := range contentWords {
		for _, w := range cw.words {
			if strings.Contains(text, w) {
				return cw.kind, true
			}
		}
	}
	for _, w := range oldRecords {
		if strings.Contains(text, w) && oldEra(era) {
			return workflow.Historical, true
		}
	}
	return "", false
}

// oldEra reports whether an era as people write it (1958, 1950年代, 民国,
// 清末, 2019) lies before 2000.
func oldEra(era string) bool {
	era = workflow.Fold(era)
	for _, w := range []string{"民国", "清", "明代", "解放", "建国", "抗战", "三线"} {
		if strings.Contains(era, w) {
			return true
		}
	}
	digits := 0
	for i, r := range era {
		if r >= '0' && r <= '9' {
			digits++
			if digits == 4 {
				year, _ := strconv.Atoi(era[i-3 : i+1])
				return year < 2000
			}
			continue
		}
		digits = 0
	}
	return false
}

// contentLabels are the ways a 征集内容 cell may name a kind: the code names,
// the notice's Chinese labels and their short forms, and the notice's numbering
// (一)…(四) of the four kinds.
var contentLabels = func() map[string]workflow.ContentType {
	m := map[string]workflow.ContentType{}
	add := func(c workflow.ContentType, names ...string) {
		for _, n := range names {
			m[contentKey(n)] = c
		}
	}
	for _, c := range []workflow.ContentType{workflow.CraftWork, workflow.Historical, workflow.ProductionEquipment, workflow.Competition} {
		add(c, string(c), c.Label().ZH, c.Label().EN)
	}
	add(workflow.CraftWork, "技艺作品", "作品", "视频图文", "一", "1", "(一)")
	add(workflow.Historical, "历史实物", "文献", "历史文献", "技术进步历史实物", "二", "2", "(二)")
	add(workflow.ProductionEquipment, "设备设施", "生产设备", "技能设备", "三", "3", "(三)")
	add(workflow.Competition, "竞赛", "竞赛获奖作品", "奖牌", "四", "4", "(四)")
	return m
}()

func contentKey(s string) string {
	return headerKey(strings.ReplaceAll(s, "_", " "))
}

// parseContent reads a 征集内容 cell.
func parseContent(s string) (workflow.ContentType, bool) {
	c, ok := contentLabels[contentKey(s)]
	return c, ok
}
