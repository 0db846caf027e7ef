package workflow

import (
	"bytes"
	"encoding/json"
	"sort"
	"unicode/utf8"
)

// serverOwned are exhibit keys that only bayu sets; a client sending one is refused.
var serverOwned = map[string]bool{
	"id": true, "state": true, "version": true, "intake": true, "created_at": true,
	"updated_at": true, "dimensions_cm": true, "evaluation": true, "agreement": true, "custody": true,
}

// fieldSetters decode one JSON value into its form field, each with its own error.
var fieldSetters = map[string]func(*Fields, json.RawMessage) bool{
	"name":               func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Name) },
	"category":           func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Category) },
	"content_type":       func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.ContentType) },
	"region":             func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Region) },
	"valuation_cny":      func(f *Fields, r json.RawMessage) bool { f.ValuationCNY = nil; return decodeInto(r, &f.ValuationCNY) },
	"valuation_text":     func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.ValuationText) },
	"description":        func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Description) },
	"era_type":           func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.EraType) },
	"era":                func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Era) },
	"size_cm":            func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.SizeCM) },
	"weight_kg":          func(f *Fields, r json.RawMessage) bool { f.WeightKG = nil; return decodeInto(r, &f.WeightKG) },
	"quantity":           func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Quantity) },
	"method":             func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.Method) },
	"source_unit":        func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.SourceUnit) },
	"contact_name":       func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.ContactName) },
	"contact_phone":      func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.ContactPhone) },
	"storage_conditions": func(f *Fields, r json.RawMessage) bool { return decodeInto(r, &f.StorageConditions) },
}

func decodeInto(raw json.RawMessage, dst any) bool {
	return json.Unmarshal(raw, dst) == nil
}

// CreateInput is a request to create an exhibit.
type CreateInput struct {
	District string
	Fields   Fields
}

// PatchInput is a request to edit an exhibit's form fields.
type PatchInput struct {
	Version int64
	// Set holds the JSON keys the client sent, applied over the current fields.
	Set map[string]json.RawMessage
}

// DecodeCreate reads a create request body. Malformed JSON and unknown keys are
// bad requests; server-owned keys and badly typed values are invalid, each named.
func DecodeCreate(body []byte) (CreateInput, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return CreateInput{}, err
	}
	var in CreateInput
	fe := FieldErrors{}
	if raw, ok := obj["district"]; ok {
		if !decodeInto(raw, &in.District) {
			fe.Add("district", "必须是单位代码", "must be a unit code")
		}
		delete(obj, "district")
	}
	in.Fields, err = applyFields(Fields{}, obj, fe)
	if err != nil {
		return CreateInput{}, err
	}
	return in, fe.Err()
}

// DecodePatch reads a PATCH body; "version" is required.
func DecodePatch(body []byte) (PatchInput, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return PatchInput{}, err
	}
	fe := FieldErrors{}
	var in PatchInput
	raw, ok := obj["version"]
	delete(obj, "version")
	if !ok {
		fe.Add("version", "必须提供当前版本号", "is required")
	} else if !decodeInto(raw, &in.Version) || in.Version < 1 {
		fe.Add("version", "必须是正整数", "must be a positive integer")
	}
	if _, ok := obj["district"]; ok {
		fe.Add("district", "展品所属单位不能修改", "an exhibit cannot move to another unit")
		delete(obj, "district")
	}
	if _, err := applyFields(Fields{}, obj, fe); err != nil {
		return PatchInput{}, err
	}
	in.Set = obj
	return in, fe.Err()
}

// Apply returns the current fields with the patch's keys written over them.
func (p PatchInput) Apply(current Fields) Fields {
	fe := FieldErrors{}
	f, _ := applyFields(current, p.Set, fe)
	// A new valuation text without a number means: work the number out again.
	if _, text := p.Set["valuation_text"]; text {
		if _, num := p.Set["valuation_cny"]; !num {
			f.ValuationCNY = nil
		}
	}
	return f
}

func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	if !utf8.Valid(body) {
		return nil, Errorf(CodeBadRequest, "请求内容不是有效的 UTF-8", "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, Errorf(CodeBadRequest, "请求内容不是有效的 JSON 对象", "the body is not a JSON object")
	}
	if dec.More() {
		return nil, Errorf(CodeBadRequest, "JSON 对象之后还有多余内容", "unexpected data after the JSON object")
	}
	return obj, nil
}

func applyFields(base Fields, obj map[string]json.RawMessage, fe FieldErrors) (Fields, error) {
	var unknown []string
	for key, raw := range obj {
		if serverOwned[key] {
			fe.Add(key, "由系统维护，不能由请求设置", "is set by the system and cannot be sent")
			continue
		}
		set, ok := fieldSetters[key]
		if !ok {
			unknown = append(unknown, key)
			continue
		}
		if !set(&base, raw) {
			fe.Add(key, "类型不正确", "has the wrong type")
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		e := Errorf(CodeBadRequest, "未知字段", "unknown fields")
		e.Fields = map[string]Text{}
		for _, k := range unknown {
			e.Fields[k] = T("未知字段", "unknown field")
		}
		return base, e
	}
	return base, nil
}
