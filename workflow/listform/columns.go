package listform

import (
	"strings"
	"unicode"

	"bayu/workflow"
)

// Title is the form's title as the notice prints it above the headers.
const Title = "“巴渝工匠”绝技绝活展品征集项目清单"

// Headers are the form's sixteen column headers in the notice's order and
// spelling, including its mixed brackets in 估值(元）.
var Headers = [16]string{
	"序号", "展品名称", "展品类别", "地域", "估值(元）", "展品描述", "年代类型", "年代",
	"尺寸(cm)", "重量(kg)", "实际数量", "征集方式", "来源单位", "联系人", "联系方式", "存储条件",
}

// ContentHeader is the optional extra column that states the content kind,
// which the notice's form itself lacks.
const ContentHeader = "征集内容"

// col identifies a column of the form independent of where a file puts it.
type col int

const (
	colSeq col = iota
	colName
	colCategory
	colRegion
	colValuation
	colDescription
	colEraType
	colEra
	colSize
	colWeight
	colQuantity
	colMethod
	colSourceUnit
	colContactName
	colContactPhone
	colStorage
	colContent // the optional 征集内容
	numCols
)

// header is the Chinese header users see for c; errors name columns by it.
func (c col) header() string {
	if c == colContent {
		return ContentHeader
	}
	return Headers[c]
}

// aliases are header spellings met in real files, compared after headerKey has
// removed spaces, line breaks, bracket widths and case. The first one is the
// notice's own.
var aliases = map[col][]string{
	colSeq:          {"序号", "编号", "no."},
	colName:         {"展品名称", "名称", "展品名"},
	colCategory:     {"展品类别", "类别"},
	colRegion:       {"地域", "地区", "产地"},
	colValuation:    {"估值(元)", "估值", "估值(人民币元)"},
	colDescription:  {"展品描述", "描述", "展品简介", "简介"},
	colEraType:      {"年代类型"},
	colEra:          {"年代"},
	colSize:         {"尺寸(cm)", "尺寸", "尺寸(厘米)"},
	colWeight:       {"重量(kg)", "重量", "重量(千克)", "重量(公斤)"},
	colQuantity:     {"实际数量", "数量"},
	colMethod:       {"征集方式"},
	colSourceUnit:   {"来源单位", "来源"},
	colContactName:  {"联系人"},
	colContactPhone: {"联系方式", "联系电话", "电话"},
	colStorage:      {"存储条件", "储存条件", "保存条件"},
	colContent:      {"征集内容", "内容类型", "content_type"},
}

var aliasIndex = func() map[string]col {
	m := map[string]col{}
	for c, names := range aliases {
		for _, n := range names {
			m[headerKey(n)] = c
		}
	}
	return m
}()

// headerKey reduces a header cell to what identifies it: the notice itself
// writes 估值(元） with mixed brackets and breaks 征集方式 over two lines, and
// districts add required-marks (*) and full-width spaces.
func headerKey(s string) string {
	s = strings.ToLower(workflow.Fold(s))
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '*', r == '\u200b', r == '\ufeff':
			return -1
		case r == '【' || r == '〔' || r == '[':
			return '('
		case r == '】' || r == '〕' || r == ']':
			return ')'
		}
		return r
	}, s)
}

// lookupHeader names the column a header cell stands for.
func lookupHeader(cell string) (col, bool) {
	c, ok := aliasIndex[headerKey(cell)]
	return c, ok
}

// required are the columns a file must have: without them every row would fail
// Validate(true), and one clear message is better than thousands.
var required = []col{colName, colCategory, colDescription, colMethod, colSourceUnit, colContactName, colContactPhone}

// fieldColumn maps the keys of workflow.FieldErrors to the column they came from.
var fieldColumn = map[string]col{
	"name": colName, "category": colCategory, "region": colRegion,
	"valuation_cny": colValuation, "valuation_text": colValuation, "description": colDescription,
	"era_type": colEraType, "era": colEra, "size_cm": colSize, "weight_kg": colWeight,
	"quantity": colQuantity, "method": colMethod, "source_unit": colSourceUnit,
	"contact_name": colContactName, "contact_phone": colContactPhone,
	"storage_conditions": colStorage, "content_type": colContent,
}
