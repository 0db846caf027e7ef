package workflow

import (
	"math"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestParseValuation(t *testing.T) {
	good := map[string]int64{
		"1万元": 10000, "1.5万": 15000, "约3000元": 3000, "8000": 8000, "8,000": 8000,
		"１．５万": 15000, " 2 万 元 ": 20000, "3千元": 3000, "5百": 500, "10万元以上": 100000,
		"3万余元": 30000, "¥8000": 8000, "￥8000": 8000, "估值：5000元": 5000, "2000元左右": 2000,
		"1.5w": 15000, "0": 0, "1.5万元人民币": 15000, "大约1万": 10000, "0.5": 1, "12345.4": 12345,
	}
	for in, want := range good {
		got, err := ParseValuation(in)
		if err != nil || got != want {
			t.Errorf("ParseValuation(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "面议", "-5", "1万-2万", "万元", "1e5", "99999999999999", "1..5万", "1万元元元以上以上"} {
		if got, err := ParseValuation(in); err == nil {
			t.Errorf("ParseValuation(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseSize(t *testing.T) {
	good := map[string][]float64{
		"10×10": {10, 10}, "30x20x5": {30, 20, 5}, "30*20*5": {30, 20, 5}, "30X20": {30, 20},
		"30cm×20cm": {30, 20}, "30 x 20 x 5 厘米": {30, 20, 5}, "１０×１０": {10, 10}, "12.5": {12.5},
		"30＊20": {30, 20}, "40✕30": {40, 30}, "10×10cm": {10, 10},
	}
	for in, want := range good {
		got, err := ParseSize(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "大", "0x10", "10x10x10x10", "inf", "NaN", "1e3", "-5x3", "10x", "5.", "0x1p3"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseWeight(t *testing.T) {
	good := map[string]float64{
		"0.5": 0.5, "0.5kg": 0.5, "0.5KG": 0.5, "500g": 0.5, "500克": 0.5, "2公斤": 2, "2千克": 2,
		"约1.2吨": 1200, "3斤": 1.5, "0": 0, "１２ｋｇ": 12, "1.5 kg": 1.5, "10kg左右": 10,
	}
	for in, want := range good {
		got, err := ParseWeight(in)
		if err != nil || math.Abs(got-want) > 1e-9 {
			t.Errorf("ParseWeight(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "重", "kg", "-1", "inf", "1e3", "2000吨", "0x10"} {
		if got, err := ParseWeight(in); err == nil {
			t.Errorf("ParseWeight(%q) = %v, want an error", in, got)
		}
	}
}

func TestValidPhone(t *testing.T) {
	for _, in := range []string{"18225293447", "182 2529 3447", "182-2529-3447", "+86 18225293447",
		"023-67881234", "02367881234", "(023)67881234", "（023）6788 1234", "023-67881234-801", "67881234", "１８２２５２９３４４７"} {
		if !ValidPhone(in) {
			t.Errorf("ValidPhone(%q) = false", in)
		}
	}
	for _, in := range []string{"", "XXXXXXX", "1822529344", "12345", "1.8225293447e+10", "18225293447 18225293448", "(023"} {
		if ValidPhone(in) {
			t.Errorf("ValidPhone(%q) = true", in)
		}
	}
}

// FuzzValues feeds one text to every value parser: none may panic, and what they
// accept must make sense (no negative, infinite or out-of-range numbers), and
// folding first must not change the answer.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"1万元", "1.5万", "约3000元", "8000", "10×10", "30x20x5", "30*20*5",
		"0.5kg", "500g", "18225293447", "023-67881234", "１．５万", "(023)6788", "9e999", "1,,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseValuation(s); err == nil {
			if v < 0 || v > maxValuation {
				t.Fatalf("ParseValuation(%q) = %d out of range", s, v)
			}
			if w, err := ParseValuation(Fold(s)); err != nil || w != v {
				t.Fatalf("ParseValuation(Fold(%q)) = %d, %v; want %d", s, w, err, v)
			}
		}
		if dims, err := ParseSize(s); err == nil {
			if len(dims) < 1 || len(dims) > 3 {
				t.Fatalf("ParseSize(%q) = %v", s, dims)
			}
			for _, d := range dims {
				if !(d > 0) || math.IsInf(d, 0) {
					t.Fatalf("ParseSize(%q) = %v", s, dims)
				}
			}
		}
		if w, err := ParseWeight(s); err == nil && (!(w >= 0) || w > maxWeightKG) {
			t.Fatalf("ParseWeight(%q) = %v", s, w)
		}
		if ValidPhone(s) && utf8.RuneCountInString(Fold(s)) > 40 {
			t.Fatalf("ValidPhone(%q) accepted more than the field holds", s)
		}
		if utf8.ValidString(s) && !utf8.ValidString(Fold(s)) {
			t.Fatalf("Fold(%q) broke UTF-8", s)
		}
	})
}
