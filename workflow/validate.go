package workflow

import (
	"strings"
	"unicode/utf8"
)

// Normalize trims the fields and works out what can be derived: the valuation in
// yuan from its text, a quantity of one when none was given.
func (f *Fields) Normalize() {
	for _, s := range []*string{&f.Name, &f.Category, &f.Region, &f.ValuationText, &f.Description,
		&f.EraType, &f.Era, &f.SizeCM, &f.SourceUnit, &f.ContactName, &f.ContactPhone, &f.StorageConditions} {
		*s = strings.TrimSpace(*s)
	}
	f.ContactPhone = Fold(f.ContactPhone)
	if f.ValuationCNY == nil && f.ValuationText != "" {
		if v, err := ParseValuation(f.ValuationText); err == nil {
			f.ValuationCNY = &v
		}
	}
	if f.Quantity == 0 {
		f.Quantity = 1
	}
}

// Dimensions returns the parsed size, or nil when there is none or it does not parse.
func (f *Fields) Dimensions() []float64 {
	if f.SizeCM == "" {
		return nil
	}
	d, err := ParseSize(f.SizeCM)
	if err != nil {
		return nil
	}
	return d
}

// reportRequired are the form's fields an exhibit must have before it is reported.
var reportRequired = []struct {
	key string
	get func(*Fields) string
}{
	{"name", func(f *Fields) string { return f.Name }},
	{"category", func(f *Fields) string { return f.Category }},
	{"description", func(f *Fields) string { return f.Description }},
	{"method", func(f *Fields) string { return string(f.Method) }},
	{"source_unit", func(f *Fields) string { return f.SourceUnit }},
	{"contact_name", func(f *Fields) string { return f.ContactName }},
	{"contact_phone", func(f *Fields) string { return f.ContactPhone }},
}

// Validate checks every given field; with complete set it also demands the fields
// the form requires before reporting. All problems are returned at once.
func (f *Fields) Validate(complete bool) FieldErrors {
	fe := FieldErrors{}
	if f.Name == "" {
		fe.Add("name", "展品名称不能为空", "is required")
	}
	long := map[string]struct {
		v   string
		max int
	}{
		"name": {f.Name, 200}, "category": {f.Category, 100}, "region": {f.Region, 100},
		"valuation_text": {f.ValuationText, 100}, "description": {f.Description, 4000},
		"era_type": {f.EraType, 50}, "era": {f.Era, 50}, "size_cm": {f.SizeCM, 100},
		"source_unit": {f.SourceUnit, 200}, "contact_name": {f.ContactName, 100},
		"contact_phone": {f.ContactPhone, 40}, "storage_conditions": {f.StorageConditions, 200},
	}
	for key, l := range long {
		if utf8.RuneCountInString(l.v) > l.max {
			fe.Add(key, "内容过长", "is too long")
		}
		if strings.ContainsRune(l.v, 0) {
			fe.Add(key, "含有不允许的控制字符", "contains a NUL character")
		}
	}
	if f.ValuationCNY != nil && *f.ValuationCNY > MaxYuan {
		fe.Add("valuation_cny", "估值过大", "is too large")
	}
	if f.WeightKG != nil && *f.WeightKG > 1_000_000 {
		fe.Add("weight_kg", "重量过大", "is too large")
	}
	if f.Quantity > 1_000_000 {
		fe.Add("quantity", "数量过大", "is too large")
	}
	if f.ContentType != "" && !f.ContentType.Valid() {
		fe.Add("content_type", "征集内容必须是 craft_work、historical、production_equipment、competition 之一",
			"must be one of craft_work, historical, production_equipment, competition")
	}
	if f.Method != "" && !f.Method.Valid() {
		fe.Add("method", "征集方式必须是捐赠、寄存、复制、寄售之一（donation、deposit、replication、consignment）",
			"must be one of donation, deposit, replication, consignment")
	}
	if f.ValuationCNY != nil && *f.ValuationCNY < 0 {
		fe.Add("valuation_cny", "估值不能为负数", "must not be negative")
	}
	if f.ValuationCNY == nil && f.ValuationText != "" {
		fe.Add("valuation_text", "无法识别估值，请写成 8000、1万元 或 1.5万", "cannot be read as an amount, write it like 8000, 1万元 or 1.5万")
	}
	if f.WeightKG != nil && *f.WeightKG < 0 {
		fe.Add("weight_kg", "重量不能为负数", "must not be negative")
	}
	if f.Quantity < 1 {
		fe.Add("quantity", "实际数量至少为 1", "must be at least 1")
	}
	if f.SizeCM != "" {
		if _, err := ParseSize(f.SizeCM); err != nil {
			fe.Add("size_cm", "尺寸应写成 10×10 或 30x20x5（厘米）", "must be written like 10×10 or 30x20x5 (cm)")
		}
	}
	if f.ContactPhone != "" && !ValidPhone(f.ContactPhone) {
		fe.Add("contact_phone", "联系方式不是有效的电话号码", "is not a valid phone number")
	}
	if complete {
		for _, r := range reportRequired {
			if r.get(f) == "" {
				fe.Add(r.key, "报送前必须填写", "is required before reporting")
			}
		}
	}
	return fe
}
