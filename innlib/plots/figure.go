package plots

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
)

// Figure is a go-plotly figure (it satisfies types.Fig and embeds *grob.Fig,
// so Data, Layout, AddTraces work as usual) plus any number of subplot axes.
//
// Why a wrapper: grob.Layout has typed fields for only six x and six y axes,
// while the posterior grid needs up to 3 rows × 9 columns. XAxes[i] and
// YAxes[i] become layout.xaxis{i} / layout.yaxis{i} in the JSON (index 1 is
// the primary "xaxis"); an entry here overrides the same axis set through
// Layout. Traces refer to them as "x{i}" / "y{i}".
type Figure struct {
	*grob.Fig
	XAxes map[int]*grob.LayoutXaxis
	YAxes map[int]*grob.LayoutYaxis
}

// NewFigure returns an empty figure with a layout and no axes.
func NewFigure() *Figure {
	return &Figure{
		Fig:   &grob.Fig{Layout: &grob.Layout{}},
		XAxes: map[int]*grob.LayoutXaxis{},
		YAxes: map[int]*grob.LayoutYaxis{},
	}
}

// Info reports the plotly.js version the figure is written for.
func (f *Figure) Info() types.Version { return (&grob.Fig{}).Info() }

// axisKey is the layout key of axis i: "xaxis", "xaxis2", ...
func axisKey(prefix string, i int) string {
	if i <= 1 {
		return prefix + "axis"
	}
	return prefix + "axis" + strconv.Itoa(i)
}

// axisRef is how a trace names axis i: "x", "x2", ...
func axisRef(prefix string, i int) string {
	if i <= 1 {
		return prefix
	}
	return prefix + strconv.Itoa(i)
}

// MarshalJSON writes the plotly JSON figure {data, layout, config, ...} with
// the extra axes merged into the layout.
func (f *Figure) MarshalJSON() ([]byte, error) {
	base := f.Fig
	if base == nil {
		base = &grob.Fig{}
	}
	raw, err := json.Marshal(base)
	if err != nil {
		return nil, fmt.Errorf("plots: encoding figure: %w", err)
	}
	if len(f.XAxes) == 0 && len(f.YAxes) == 0 {
		return raw, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, err
	}
	layout := map[string]json.RawMessage{}
	if l, ok := top["layout"]; ok {
		if err := json.Unmarshal(l, &layout); err != nil {
			return nil, err
		}
	}
	for i, ax := range f.XAxes {
		if layout[axisKey("x", i)], err = json.Marshal(ax); err != nil {
			return nil, err
		}
	}
	for i, ax := range f.YAxes {
		if layout[axisKey("y", i)], err = json.Marshal(ax); err != nil {
			return nil, err
		}
	}
	if top["layout"], err = json.Marshal(layout); err != nil {
		return nil, err
	}
	return json.Marshal(top)
}

// UnmarshalJSON reads what MarshalJSON writes, putting every layout axis into
// XAxes / YAxes (so figures round-trip whatever their number of axes).
func (f *Figure) UnmarshalJSON(data []byte) error {
	g := &grob.Fig{}
	if err := json.Unmarshal(data, g); err != nil {
		return err
	}
	var top struct {
		Layout map[string]json.RawMessage `json:"layout"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return err
	}
	*f = Figure{Fig: g, XAxes: map[int]*grob.LayoutXaxis{}, YAxes: map[int]*grob.LayoutYaxis{}}
	if f.Layout == nil {
		f.Layout = &grob.Layout{}
	}
	keys := make([]string, 0, len(top.Layout))
	for k := range top.Layout {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, p := range []string{"x", "y"} {
			rest, ok := strings.CutPrefix(k, p+"axis")
			if !ok {
				continue
			}
			i := 1
			if rest != "" {
				n, err := strconv.Atoi(rest)
				if err != nil {
					continue
				}
				i = n
			}
			if p == "x" {
				ax := &grob.LayoutXaxis{}
				if err := json.Unmarshal(top.Layout[k], ax); err != nil {
					return err
				}
				f.XAxes[i] = ax
			} else {
				ax := &grob.LayoutYaxis{}
				if err := json.Unmarshal(top.Layout[k], ax); err != nil {
					return err
				}
				f.YAxes[i] = ax
			}
		}
	}
	// The typed Layout copies of these axes would be stale duplicates.
	l := f.Layout
	l.Xaxis, l.XAxis2, l.XAxis3, l.XAxis4, l.XAxis5, l.XAxis6 = nil, nil, nil, nil, nil, nil
	l.Yaxis, l.YAxis2, l.YAxis3, l.YAxis4, l.YAxis5, l.YAxis6 = nil, nil, nil, nil, nil, nil
	return nil
}
