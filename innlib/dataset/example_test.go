package dataset_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ozarkinn/inn/innlib/dataset"
)

// Bring your own ensemble: one CSV with parameter and output columns chosen
// by name, and observations with the same output names.
func Example() {
	dir, err := os.MkdirTemp("", "dataset-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	runs := filepath.Join(dir, "runs.csv")
	os.WriteFile(runs, []byte(`run,k,theta,flux_a,flux_b
1,0.5,10,3.1,4.0
2,1.5,12,3.9,4.4
3,2.5,14,4.8,5.1
4,3.5,16,5.5,5.9
5,0.9,18,3.3,6.2
`), 0o644)
	ens, err := dataset.LoadEnsembleCSV(runs, []string{"k", "theta"}, []string{"flux_a", "flux_b"})
	if err != nil {
		log.Fatal(err)
	}
	ens.Lo, ens.Hi = []float64{0, 10}, []float64{4, 20}
	if err := ens.Validate(); err != nil {
		log.Fatal(err)
	}
	train, val, err := ens.Split(4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("runs:", ens.Len(), "train:", train.Len(), "validation:", val.Len())
	fmt.Println("parameters:", ens.ParamNames, "outputs:", ens.OutputNames)

	obs, err := dataset.ParseObservations(ens.OutputNames, "4.2, 5.0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("observed:", obs.Values[0], "fits:", obs.Check(ens) == nil)

	// A sample outside the box is reported by row (1-based) and column.
	ens.X[2][1] = 25
	var de *dataset.DataError
	if err := ens.Validate(); errors.As(err, &de) {
		fmt.Printf("%s: row %d, column %d (%s): %s\n", filepath.Base(de.File), de.Row, de.Col, de.Column, de.Msg)
	}
	// Output:
	// runs: 5 train: 4 validation: 1
	// parameters: [k theta] outputs: [flux_a flux_b]
	// observed: [4.2 5] fits: true
	// runs.csv: row 3, column 2 (theta): value 25 outside the prior box [10, 20]
}
