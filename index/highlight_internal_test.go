package index

import (
	"context"
	"reflect"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/datatest"
	"github.com/techmatch/techmatch/demo"
)

// TestMarkerRunsMatchWholeText checks that marking from the runs of
// Chinese characters that hold a word (marker.han) gives the spans that
// analysing the whole text gives, over demo records and awkward texts.
func TestMarkerRunsMatchWholeText(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the segmenter's dictionary")
	}
	ix, err := Open(context.Background(), t.TempDir(), datatest.New(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	an := ix.an[0]
	texts := []string{"ＡＩ辅助的玉米病害识别，准确率９８％。", "玉米玉米　玉米ｘ玉米", "锂电池、检测与锂电池检测", "カタカナと玉米",
		"新能源汽车电池管理系统（BMS）", "人工智能+智能制造", "玉", "", "a玉米b", "\xff玉米\xfe"}
	for _, a := range demo.Achievements()[:1500] {
		texts = append(texts, a.Title, a.Abstract, a.Institution)
		texts = append(texts, a.Keywords...)
	}
	queries := []string{"玉米", "新能源汽车", "人参", "锂电池", "智能制造", "检测", "生物医药", "秸秆", "大豆", "传感器",
		"新材料", "节能", "机器人", "中药", "污水处理", "冷链", "光伏", "碳纤维", "育种", "软件",
		"玉米 病害", "锂电池，检测", `"电池管理系统"`, "人工智能 -医药", "LiFePO4 正极", "ai 玉米", "カタカナ"}
	fast := 0
	for _, qs := range queries {
		_, pq := buildTextQuery(an, data.SearchQuery{Kind: data.KindAchievement, Text: qs}, nil)
		m := newMarker(an, pq)
		whole := *m
		whole.han = false
		if m.han {
			fast++
		}
		for _, text := range texts {
			got, want := m.spans(text), whole.spans(text)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("query %q, text %q: spans %v, whole-text spans %v", qs, text, got, want)
			}
		}
	}
	if fast < 20 {
		t.Errorf("only %d of %d queries took the runs' path", fast, len(queries))
	}
}
