package report_test

import (
	"fmt"
	"os"

	"github.com/ozarkinn/inn/innlib/report"
)

// A table prints as aligned text; in a notebook, notebook.Show displays
// its HTML.
func ExampleTable() {
	t := &report.Table{
		Caption: "Forward emulation: R² (RMSE, W m-2) per output",
		Header:  []string{"emulator", "LH_2006", "LH_2007"},
		Rows: [][]string{
			{"INN, validation runs", "0.9512 (1.02)", "0.9687 (0.88)"},
			{"MLP, validation runs", "0.9901 (0.45)", "0.9923 (0.41)"},
		},
	}
	if err := t.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Forward emulation: R² (RMSE, W m-2) per output
	// emulator                    LH_2006        LH_2007
	// INN, validation runs  0.9512 (1.02)  0.9687 (0.88)
	// MLP, validation runs  0.9901 (0.45)  0.9923 (0.41)
}
