package emulator

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/ozarkinn/inn/innlib/internal/tensorutil"
)

// graphEngine trains through GoMLX graphs (EngineGraph); the weights live
// in the emulator's variables.
type graphEngine struct {
	e        *MLP
	stepExec *context.Exec
	valExec  *context.Exec
	lrVar    *context.Variable
}

func newGraphEngine(e *MLP) (*graphEngine, error) {
	c := e.cfg
	g := &graphEngine{e: e}
	g.lrVar = optimizers.LearningRateVar(e.ctx, dtypes.Float32, c.LearningRate)
	opt := optimizers.Adam().LearningRate(c.LearningRate).Betas(adamBeta1, adamBeta2).Epsilon(adamEpsilon).
		WeightDecay(c.WeightDecay).Done()
	var err error
	g.stepExec, err = context.NewExec(e.backend, e.ctx, func(ctx *context.Context, xb, yb *graph.Node) *graph.Node {
		loss := mseGraph(e, xb, yb)
		opt.UpdateGraph(ctx, xb.Graph(), loss)
		return loss
	})
	if err != nil {
		return nil, fmt.Errorf("emulator: building the training graph: %w", err)
	}
	g.valExec, err = context.NewExec(e.backend, e.ctx, func(ctx *context.Context, xb, yb *graph.Node) *graph.Node {
		return mseGraph(e, xb, yb)
	})
	if err != nil {
		return nil, fmt.Errorf("emulator: building the validation graph: %w", err)
	}
	return g, nil
}

// mseGraph is the loss: the mean squared error over the batch's outputs.
func mseGraph(e *MLP, xb, yb *graph.Node) *graph.Node {
	return graph.ReduceAllMean(graph.Square(graph.Sub(e.net.Apply(xb)[0], yb)))
}

func (g *graphEngine) setLearningRate(lr float64) error {
	if err := g.lrVar.SetValue(tensorutil.FromFloat64(dtypes.Float32, []float64{lr})); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	return nil
}

func (g *graphEngine) run(exec *context.Exec, x, y []float64, rows int) (float64, error) {
	e := g.e
	res, err := exec.Exec(tensorutil.FromFloat64(dtypes.Float32, x[:rows*e.n], rows, e.n),
		tensorutil.FromFloat64(dtypes.Float32, y[:rows*e.m], rows, e.m))
	if err != nil {
		return 0, err
	}
	v := tensorutil.Scalar(res[0])
	res[0].FinalizeAll()
	return v, nil
}

func (g *graphEngine) step(x, y []float64, rows int) (float64, error) {
	return g.run(g.stepExec, x, y, rows)
}

func (g *graphEngine) validate(x, y []float64, rows int) (float64, error) {
	return g.run(g.valExec, x, y, rows)
}

func (g *graphEngine) snapshot() [][]float64 { return g.e.weights() }
