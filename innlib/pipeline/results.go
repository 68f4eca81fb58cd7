package pipeline

// ResultsSchema names the layout of results.json. Version 2 (2026-12): the
// calibration check adds observation noise, reports per-parameter verdicts
// against simulated bounds, and its headline is the worst parameter
// (worst_calibration_error) beside the mean of the parameters' errors; the
// pooled coverage and its calibration_error are gone.
const ResultsSchema = "innlib-results/2"

// Results is everything an experiment computed, written to results.json.
// Fields marked "synthetic" are present only for cases with a known truth.
type Results struct {
	Schema     string            `json:"schema"` // ResultsSchema
	Created    string            `json:"created"`
	Dataset    string            `json:"dataset"`
	Provenance map[string]string `json:"provenance,omitempty"`
	Settings   Settings          `json:"settings"`
	Timing     Timing            `json:"timing"`
	Forward    []ForwardScores   `json:"forward"` // One per emulator: the INN and the MLP.
	// ForwardFile holds, for every run, its split, the model's outputs and both emulators' (CSV).
	ForwardFile string       `json:"forward_file"`
	Cases       []CaseResult `json:"cases"`
	// Calibration of each recipe over the validation runs used as synthetic observations.
	Calibration []RecipeCalibration `json:"calibration,omitempty"`
	Notes       []string            `json:"notes"`
	// Warnings are what the run found questionable: observations outside
	// the training outputs' range, models reused against a mismatch, an
	// interrupted previous run, a MAP that fell back from the KDE mode.
	Warnings []string `json:"warnings,omitempty"`
}

// Settings records what produced the results.
type Settings struct {
	Backend     string    `json:"backend"`
	Seed        uint64    `json:"seed"`
	Samples     int       `json:"samples"`
	ObsNoise    []float64 `json:"obs_noise"`   // Gaussian observation noise sd per output (output units).
	NoiseModel  string    `json:"noise_model"` // How the noise enters training.
	MAPMethod   string    `json:"map_method"`  // How MAP estimates are found.
	TrainRuns   int       `json:"train_runs"`  // Rows used for training.
	ValRuns     int       `json:"val_runs"`    // Rows held out for validation.
	ParamNames  []string  `json:"param_names"`
	ParamUnits  []string  `json:"param_units,omitempty"`
	OutputNames []string  `json:"output_names"`
	OutputUnits []string  `json:"output_units,omitempty"`
	Lo          []float64 `json:"lo,omitempty"` // Prior box.
	Hi          []float64 `json:"hi,omitempty"`
	Models      []Model   `json:"models"`
	Reused      bool      `json:"reused"`                 // Models loaded from disk rather than trained.
	CINNAugment int       `json:"cinn_augment,omitempty"` // Emulated runs added to the conditional flow's training data.
}

// Model describes one trained network.
type Model struct {
	Name       string  `json:"name"` // "inn", "cinn", "mlp".
	Kind       string  `json:"kind"`
	File       string  `json:"file"` // Saved model, relative to the output folder.
	Weights    int     `json:"weights,omitempty"`
	Epochs     int     `json:"epochs"`     // Epochs run.
	BestEpoch  int     `json:"best_epoch"` // Epoch whose weights were kept.
	TrainSecs  float64 `json:"train_seconds,omitempty"`
	FlowWidth  int     `json:"flow_width,omitempty"`
	LatentDim  int     `json:"latent_dim,omitempty"`
	ConfigJSON any     `json:"config,omitempty"`
	// History is the loss per epoch: term name → values (train and validation).
	History *TrainingHistory `json:"history,omitempty"`
}

// TrainingHistory is a model's record of training, for training curves.
type TrainingHistory struct {
	Train map[string][]float64 `json:"train"`
	Val   map[string][]float64 `json:"val"`
	ValR2 [][]float64          `json:"val_r2,omitempty"` // Per epoch, per output (bidirectional INN).
}

// Timing of the stages, in seconds (wall clock).
//
// The stages' work runs as jobs that start as soon as their inputs are
// ready (graph.go): the MCMC runs on the MLP emulator, the conditional
// flow's refinement, sampling, comparisons and calibration run while the
// INN trains. Each stage's time is its own elapsed time, from the start of
// its first job to the end of its last, gaps included (the cINN's
// calibration runs while the INN trains, the INN's after it); the stages
// overlap, so their times do not add up to Total, the wall time of the whole
// run. Jobs gives each job's own start and time.
type Timing struct {
	Total    float64            `json:"total"`       // Wall time of the run, from its start (after loading the data) to results.json.
	Data     float64            `json:"data"`        // Fetching and reading the data, before the run.
	Training float64            `json:"training"`    // Training (or loading) the three models, which train concurrently.
	Sampling map[string]float64 `json:"sampling"`    // Posterior sampling per recipe, all cases.
	Analysis float64            `json:"analysis"`    // Forward scores, refinement, sampling and the networks' posterior summaries.
	MCMC     float64            `json:"mcmc"`        // All MCMC runs and the MCMC posteriors' summaries (cases run concurrently).
	Compare  float64            `json:"comparison"`  // INN vs MCMC comparisons.
	Calib    float64            `json:"calibration"` // Calibration over the validation runs.
	BestFit  float64            `json:"best_fit"`    // Best in-box fits of both emulators, all cases.
	Refine   float64            `json:"refine"`      // Refinement rounds of the conditional flow, all cases (part of analysis).
	// Jobs is every job of the run in the order they started: the stages'
	// work runs as jobs on GOMAXPROCS cores at once, so this, not the spans
	// above, shows where the wall time went.
	Jobs []JobTiming `json:"jobs"`
}

// JobTiming is one job's wall time, from the run's start.
type JobTiming struct {
	Name    string  `json:"name"`
	Start   float64 `json:"start"`
	Seconds float64 `json:"seconds"`
}

// ForwardScores rate an emulator on the validation runs and on all runs.
type ForwardScores struct {
	Emulator string    `json:"emulator"` // "inn" or "mlp".
	ValR2    []float64 `json:"val_r2"`   // Per output, on the validation runs.
	ValRMSE  []float64 `json:"val_rmse"` // Output units.
	AllR2    []float64 `json:"all_r2"`   // Per output, on training and validation runs together (the paper's Fig. 4).
	AllRMSE  []float64 `json:"all_rmse"`
}

// CaseResult holds the posteriors of one observation case.
type CaseResult struct {
	Name       string             `json:"name"`
	Title      string             `json:"title"`
	Note       string             `json:"note,omitempty"`
	Row        int                `json:"row"`
	Obs        []float64          `json:"obs"`
	Truth      []float64          `json:"truth,omitempty"`
	Posteriors []PosteriorSummary `json:"posteriors"`
	// MCMC runs on the MLP surrogate (paper's configuration and the longer
	// reference), and each recipe compared with the reference.
	MCMC        []MCMCRun    `json:"mcmc,omitempty"`
	Comparisons []Comparison `json:"comparisons,omitempty"`
	// BestFit is the best least-squares fit to Obs inside the prior box that
	// any method found: the emulator searched from the best posterior draws.
	BestFit *BestFit `json:"best_fit,omitempty"`
}

// BestFit is a point estimate of the closest the emulator gets to the observation.
type BestFit struct {
	X     []float64 `json:"x"`
	Y     []float64 `json:"y"`
	RMSE  float64   `json:"rmse"`
	NRMSE float64   `json:"nrmse"`
	R2    *float64  `json:"r2,omitempty"` // Absent when the observation is the same for every output (R² undefined).
	// How far X is from the training runs, to tell a fit among the runs
	// from one where the emulator extrapolates: the distance to the nearest
	// training run and the runs' median nearest-neighbour distance, both
	// with each parameter scaled to [0, 1] by its prior box.
	NearestRunDistance float64  `json:"nearest_run_distance"`
	RunSpacing         *float64 `json:"run_spacing,omitempty"`
	// The INN's forward pass at X, a second emulator's view of the same
	// point, and its RMSE against the observation.
	INNY    []float64 `json:"inn_y,omitempty"`
	INNRMSE *float64  `json:"inn_rmse,omitempty"`
	// INNFit is the INN emulator's own best in-box fit, scored by the MLP
	// emulator too: where the two emulators disagree about the same point.
	INNFit *INNFit `json:"inn_fit,omitempty"`
}

// INNFit is the least-squares fit to the observation under the INN's forward pass.
type INNFit struct {
	X                  []float64 `json:"x"`
	Y                  []float64 `json:"y"`    // INN's forward pass at X.
	RMSE               float64   `json:"rmse"` // Of Y against the observation.
	MLPY               []float64 `json:"mlp_y"`
	MLPRMSE            float64   `json:"mlp_rmse"`
	NearestRunDistance float64   `json:"nearest_run_distance"`
}

// PosteriorSummary describes one recipe's posterior for one case.
type PosteriorSummary struct {
	Recipe      string `json:"recipe"` // "inn", "cinn" (and "mcmc").
	Samples     int    `json:"samples"`
	SamplesFile string `json:"samples_file"` // CSV, relative to the output folder.
	// PredictiveFile holds the emulated outputs of every draw (CSV).
	PredictiveFile string         `json:"predictive_file"`
	Seconds        float64        `json:"seconds"`    // Sampling time.
	OutOfBox       float64        `json:"out_of_box"` // Fraction of samples outside the prior box.
	Params         []ParamSummary `json:"params"`
	MAP            []float64      `json:"map"`
	MAPMethod      string         `json:"map_method"` // How the MAP was found for this method.
	// Refined is set when the conditional flow was fine-tuned for this
	// case's observation before sampling (RefineConfig).
	Refined *RefineInfo `json:"refined,omitempty"`
	// Synthetic cases: NRMSE of the MAP against the truth, on raw values as
	// the paper defines it and range-normalised; and the raw score of the
	// prior-box midpoint, for scale.
	MAPNRMSERaw      *float64     `json:"map_nrmse_raw,omitempty"`
	MAPNRMSERange    *float64     `json:"map_nrmse_range,omitempty"`
	MidpointNRMSERaw *float64     `json:"midpoint_nrmse_raw,omitempty"`
	TruthInside95    *bool        `json:"truth_inside_95,omitempty"` // Every parameter's truth in its central 95% interval.
	Predictive       []Predictive `json:"predictive"`                // Posterior predictive per output, through the MLP emulator.
	ObsInside95      bool         `json:"obs_inside_95"`             // Every observation in its predictive 95% interval.
	MAPPrediction    []float64    `json:"map_prediction"`            // Emulator outputs at the MAP.
	MAPPredNRMSE     float64      `json:"map_pred_nrmse"`            // Of the MAP prediction against Obs (paper's NRMSE).
	MAPPredR2        *float64     `json:"map_pred_r2,omitempty"`     // R² of the MAP prediction against Obs across outputs; absent when Obs is constant (R² undefined).
	MAPPredRMSE      float64      `json:"map_pred_rmse"`
	PredMeanRMSE     float64      `json:"pred_mean_rmse"` // RMSE of the predictive mean against Obs.
	DrawFit          DrawFit      `json:"draw_fit"`
	drawRMSE         []float64    // Each draw's RMSE against Obs through the emulator.
}

// NearBestTolerance is how far above the best in-box fit's RMSE a fit may lie
// and still count as near it: 10%, the project's target for the MAP on real data.
const NearBestTolerance = 0.10

// DrawFit describes how well a method's posterior draws, not only its MAP,
// fit the observation through the emulator (RMSE, W m-2). It shows how much of
// the posterior lies near the best fit: a MAP picked from draws can only be as
// close as the draws come.
type DrawFit struct {
	MinRMSE    float64 `json:"min_rmse"`
	Q05RMSE    float64 `json:"q05_rmse"`
	MedianRMSE float64 `json:"q50_rmse"`
	// NearBest is the fraction of draws whose RMSE is at most
	// (1 + NearBestTolerance) times the case's best in-box fit, and
	// MAPNearBest whether the MAP's is. Both are set once that fit is found,
	// and only where it is not exact (RMSE ≥ NearBestMinRMSE): a relative
	// margin on a zero misfit says nothing.
	NearBest    *float64 `json:"near_best_fraction,omitempty"`
	MAPNearBest *bool    `json:"map_near_best,omitempty"`
}

// NearBestMinRMSE (W m-2, the outputs' units) is the best-fit RMSE below
// which the fit counts as exact and DrawFit's near-best fields stay unset.
const NearBestMinRMSE = 0.01

// ParamSummary summarises one parameter's marginal posterior.
type ParamSummary struct {
	Name        string   `json:"name"`
	Mean        float64  `json:"mean"`
	SD          float64  `json:"sd"`
	Q025        float64  `json:"q025"`
	Q50         float64  `json:"q50"`
	Q975        float64  `json:"q975"`
	MAP         float64  `json:"map"`
	Contraction float64  `json:"contraction"` // clip(1 − Var_post/Var_prior, 0, 1), uniform prior over the box.
	Truth       *float64 `json:"truth,omitempty"`
	ZScore      *float64 `json:"z_score,omitempty"`
	Inside95    *bool    `json:"inside_95,omitempty"`
}

// Predictive summarises the posterior predictive of one output.
type Predictive struct {
	Name     string  `json:"name"`
	Mean     float64 `json:"mean"`
	Q025     float64 `json:"q025"`
	Q50      float64 `json:"q50"`
	Q975     float64 `json:"q975"`
	Obs      float64 `json:"obs"`
	Inside95 bool    `json:"inside_95"`
	MAP      float64 `json:"map"`
}
