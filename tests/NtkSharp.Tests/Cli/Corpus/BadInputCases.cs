namespace NtkSharp.Tests.Cli.Corpus;

/// <summary>The table of the bad-input corpus: about 190 cases over the four verbs.</summary>
public static class BadInputCases
{
    private const string Arch = "Serial(Dense(16, wStd: 1.5, bStd: 0.1), Relu(), Dense(1))";
    private const int Bad = 2, Io = 1;

    /// <summary>The valid base options of each verb ("@name": a corpus file; "@out": a fresh output folder).</summary>
    public static IReadOnlyList<(string Option, string? Value)> Base(string verb) => verb switch
    {
        "kernel" => [("--arch", Arch), ("--x1", "@x"), ("--out", "@out"), ("--no-progress", "")],
        "predict" => [("--ntk-train", "@ntk"), ("--ntk-test", "@ntkt"), ("--y-train", "@y"), ("--times", "0,1,inf"), ("--out", "@out")],
        "ensemble" => [("--arch", Arch), ("--x-train", "@x"), ("--y-train", "@y"), ("--x-test", "@xt"), ("--members", "2"), ("--steps", "0,2"),
            ("--learning-rate", "0.1"), ("--out", "@out"), ("--no-progress", "")],
        "polar" => [("--x", "@img"), ("--radii", "4"), ("--angles", "8"), ("--out", "@out/p.npy")],
        "merge" => [("--out", "@out")],
        "spectrum" => [("--arch", Arch), ("--group", "C4"), ("--x", "@v2"), ("--out", "@out")],
        "equivariance" => [("--arch", Arch), ("--group", "C4"), ("--x-train", "@v2"), ("--y-train", "@y6"), ("--x-test", "@v2t"), ("--times", "0,1,inf"),
            ("--out", "@out")],
        _ => throw new ArgumentOutOfRangeException(nameof(verb)),
    };

    public static IReadOnlyList<BadInputCase> All { get; } = [.. Kernel(), .. Predict(), .. Ensemble(), .. Equivariance(), .. Polar(), .. Spectrum(), .. Merge()];

    private static BadInputCase C(string id, string verb, int code, string names, params (string, string?)[] edits) => new(id, verb, edits, code, names);

    private static string Nested(string open, string close, int depth, string inner) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    /// <summary>Architecture-text cases shared by the verbs that take --arch.</summary>
    private static IEnumerable<BadInputCase> ArchCases(string v)
    {
        yield return C($"{v}-arch-missing", v, Bad, "--arch", ("--arch", null));
        yield return C($"{v}-arch-empty", v, Bad, "--arch", ("--arch", " "));
        yield return C($"{v}-arch-syntax", v, Bad, "--arch: position", ("--arch", "Serial(Dense(512 x"));
        yield return C($"{v}-arch-unknown-layer", v, Bad, "Rellu", ("--arch", "Serial(Dense(4), Rellu(), Dense(1))"));
        yield return C($"{v}-arch-deep-parens-value", v, Bad, "--arch", ("--arch", "Serial(Dense(" + Nested("(", ")", 50_000, "4") + "), Dense(1))"));
        yield return C($"{v}-arch-deep-tuples", v, Bad, "--arch", ("--arch", "Serial(Dense(" + Nested("((1, ", "), 2)", 20_000, "4") + "), Dense(1))"));
        yield return C($"{v}-arch-deep-layers", v, Bad, "--arch", ("--arch", Nested("Serial(", ")", 50_000, "Dense(1)")));
        yield return C($"{v}-arch-negative-width", v, Bad, "--arch", ("--arch", "Serial(Dense(-4), Relu(), Dense(1))"));
        yield return C($"{v}-arch-width-over-int", v, Bad, "--arch", ("--arch", "Serial(Dense(2147483648), Relu(), Dense(1))"));
        yield return C($"{v}-arch-wstd-overflow-literal", v, Bad, "--arch", ("--arch", "Serial(Dense(4, wStd: 1e999), Dense(1))"));
        yield return C($"{v}-arch-and-file", v, Bad, "--arch-file", ("--arch-file", "@arch-ok.txt"));
        yield return C($"{v}-arch-file-missing", v, Bad, "--arch-file", ("--arch", null), ("--arch-file", "@nope.txt"));
        yield return C($"{v}-arch-file-bad-text", v, Bad, "--arch-file", ("--arch", null), ("--arch-file", "@arch-bad.txt"));
        yield return C($"{v}-arch-file-folder", v, Bad, "--arch-file", ("--arch", null), ("--arch-file", "@folder"));
        yield return C($"{v}-unknown-option", v, Bad, "--bogus", ("--bogus", "1"));
    }

    /// <summary>Cases of a .npy input option shared by every verb.</summary>
    private static IEnumerable<BadInputCase> FileCases(string v, string option, string what)
    {
        yield return C($"{v}{option}-missing-option", v, Bad, option, (option, null));
        yield return C($"{v}{option}-file-not-found", v, Bad, option, (option, "@does-not-exist"));
        yield return C($"{v}{option}-folder", v, Bad, option, (option, "@folder"));
        yield return C($"{v}{option}-corrupt", v, Bad, option, (option, "@corrupt"));
        yield return C($"{v}{option}-truncated", v, Bad, option, (option, "@truncated"));
        yield return C($"{v}{option}-empty", v, Bad, option, (option, "@xempty"));
        yield return C($"{v}{option}-int-dtype", v, Bad, option, (option, what == "y" ? "@yint" : what == "ntk" ? "@ntkint" : "@xint"));
        yield return C($"{v}{option}-bool-dtype", v, Bad, option, (option, what == "y" ? "@ybool" : "@xbool"));
        yield return C($"{v}{option}-nan", v, Bad, option, (option, what == "y" ? "@ynan" : what == "ntk" ? "@ntknan" : "@xnan"));
        yield return C($"{v}{option}-value-missing", v, Bad, option, (option, ""));
    }

    private static IEnumerable<BadInputCase> Kernel()
    {
        const string v = "kernel";
        foreach (var c in ArchCases(v)) yield return c;
        foreach (var c in FileCases(v, "--x1", "x")) yield return c;
        yield return C("kernel--x1-inf", v, Bad, "--x1", ("--x1", "@xinf"));
        yield return C("kernel--x1-rank1", v, Bad, "--x1", ("--x1", "@x1d"));
        yield return C("kernel--x2-other-width", v, Bad, "--x2", ("--x2", "@x4"));
        yield return C("kernel--x2-not-found", v, Bad, "--x2", ("--x2", "@nothing"));
        yield return C("kernel--x2-nan", v, Bad, "--x2", ("--x2", "@xnan"));
        yield return C("kernel--x2-int", v, Bad, "--x2", ("--x2", "@xint"));
        yield return C("kernel--get-unknown", v, Bad, "--get", ("--get", "nngp,foo"));
        yield return C("kernel--get-commas", v, Bad, "--get", ("--get", ","));
        yield return C("kernel--threads-zero", v, Bad, "--threads", ("--threads", "0"));
        yield return C("kernel--threads-negative", v, Bad, "--threads", ("--threads", "-3"));
        yield return C("kernel--threads-text", v, Bad, "--threads", ("--threads", "many"));
        yield return C("kernel--threads-huge", v, Bad, "--threads", ("--threads", "1e10"));
        yield return C("kernel--device-unknown", v, Bad, "--device", ("--device", "tpu"));
        yield return C("kernel--device-bad-index", v, Bad, "--device", ("--device", "cuda:x"));
        yield return C("kernel--device-cuda-99", v, Bad, "--device", ("--device", "cuda:99"));
        yield return C("kernel--precision-unknown", v, Bad, "--precision", ("--precision", "float16"));
        yield return C("kernel--out-missing", v, Bad, "--out", ("--out", null));
        yield return C("kernel--out-is-a-file", v, Bad, "--out", ("--out", "@x"));
        yield return C("kernel--no-progress-with-value", v, Bad, "--no-progress", ("--no-progress", "yes"));
        yield return C("kernel-huge-inputs-1e200", v, Bad, "--x1", ("--x1", "@xhuge"));
        yield return C("kernel-inputs-near-double-max", v, Bad, "--x1", ("--x1", "@xmax"));
        yield return C("kernel-x2-near-double-max", v, Bad, "--x2", ("--x2", "@xmax"));
        yield return C("kernel-huge-wstd", v, Bad, "wStd", ("--arch", "Serial(Dense(16, wStd: 1e200), Relu(), Dense(1))"));
        yield return C("kernel-pooled-cnn-512", v, Bad, "--x1", ("--x1", "@img512"),
            ("--arch", "Serial(Conv(4, (3, 3), padding: Same), Relu(), AvgPool((2, 2)), Flatten(), Dense(1))"));
        yield return C("kernel-pooled-cnn-128-over-budget", v, Bad, "bytes", ("--x1", "@img128"),
            ("--arch", "Serial(Conv(4, (3, 3), padding: Same), Relu(), AvgPool((2, 2)), Flatten(), Dense(1))"));
        yield return C("kernel-300000-examples", v, Bad, "--x1", ("--x1", "@big"));
        yield return C("kernel-dense-on-images", v, Bad, "--arch", ("--x1", "@img"));
        yield return C("kernel-conv-on-vectors", v, Bad, "--arch", ("--arch", "Serial(Conv(4, (3, 3)), Relu(), Flatten(), Dense(1))"));
        yield return C("kernel-filter-larger-than-image", v, Bad, "--arch", ("--x1", "@img"), ("--arch", "Serial(Conv(4, (9, 9)), Relu(), Flatten(), Dense(1))"));
        yield return new BadInputCase("kernel-output-is-a-folder", v, [], Io, "--out", Collide: "ntk.npy");
        yield return new BadInputCase("kernel-first-output-is-a-folder", v, [], Io, "--out", Collide: "nngp.npy");
    }

    private static IEnumerable<BadInputCase> Predict()
    {
        const string v = "predict";
        foreach (var c in FileCases(v, "--ntk-train", "ntk")) yield return c;
        foreach (var c in FileCases(v, "--ntk-test", "x")) yield return c;
        foreach (var c in FileCases(v, "--y-train", "y")) yield return c;
        yield return C("predict--ntk-train-not-square", v, Bad, "--ntk-train", ("--ntk-train", "@ntk87"));
        yield return C("predict--ntk-train-not-symmetric", v, Bad, "--ntk-train", ("--ntk-train", "@ntkasym"));
        yield return C("predict--ntk-train-rank1", v, Bad, "--ntk-train", ("--ntk-train", "@x1d"));
        yield return C("predict--ntk-train-indefinite", v, Bad, "--ntk-train", ("--ntk-train", "@ntkneg"));
        yield return C("predict-overflowing-kernels-and-targets", v, Bad, "--ntk-test", ("--ntk-test", "@ntkthuge"), ("--y-train", "@yhuge"));
        yield return C("predict--ntk-test-wrong-columns", v, Bad, "--ntk-test", ("--ntk-test", "@ntkt7"));
        yield return C("predict--y-train-wrong-rows", v, Bad, "--y-train", ("--y-train", "@y5"));
        yield return C("predict--y-train-rank3", v, Bad, "--y-train", ("--y-train", "@yrank3"));
        yield return C("predict-neither-times-nor-steps", v, Bad, "--times", ("--times", null));
        yield return C("predict-times-and-steps", v, Bad, "--steps", ("--steps", "1,2"));
        yield return C("predict--times-double-comma", v, Bad, "--times", ("--times", "1,,2"));
        yield return C("predict--times-trailing-comma", v, Bad, "--times", ("--times", "1,"));
        yield return C("predict--times-leading-comma", v, Bad, "--times", ("--times", ",1"));
        yield return C("predict--times-only-comma", v, Bad, "--times", ("--times", ","));
        yield return C("predict--times-text", v, Bad, "--times", ("--times", "0,soon"));
        yield return C("predict--times-negative", v, Bad, "--times", ("--times", "0,-1"));
        yield return C("predict--times-nan", v, Bad, "--times", ("--times", "nan"));
        yield return C("predict--times-semicolons", v, Bad, "--times", ("--times", "1;2"));
        yield return C("predict--steps-double-comma", v, Bad, "--steps", ("--times", null), ("--steps", "1,,2"));
        yield return C("predict--steps-negative", v, Bad, "--steps", ("--times", null), ("--steps", "-1"));
        yield return C("predict--steps-fraction", v, Bad, "--steps", ("--times", null), ("--steps", "1.5"));
        yield return C("predict--steps-text", v, Bad, "--steps", ("--times", null), ("--steps", "ten"));
        yield return C("predict--steps-over-int", v, Bad, "--steps", ("--times", null), ("--steps", "99999999999"));
        yield return C("predict--steps-trailing-comma", v, Bad, "--steps", ("--times", null), ("--steps", "1,"));
        yield return C("predict--steps-lr-unstable", v, Bad, "--learning-rate", ("--times", null), ("--steps", "1,5"), ("--learning-rate", "1e6"));
        yield return C("predict--learning-rate-zero", v, Bad, "--learning-rate", ("--learning-rate", "0"));
        yield return C("predict--learning-rate-negative", v, Bad, "--learning-rate", ("--learning-rate", "-1"));
        yield return C("predict--learning-rate-inf", v, Bad, "--learning-rate", ("--learning-rate", "inf"));
        yield return C("predict--learning-rate-overflow", v, Bad, "--learning-rate", ("--learning-rate", "1e999"));
        yield return C("predict--learning-rate-text", v, Bad, "--learning-rate", ("--learning-rate", "fast"));
        yield return C("predict--diag-reg-negative", v, Bad, "--diag-reg", ("--diag-reg", "-0.1"));
        yield return C("predict--diag-reg-inf", v, Bad, "--diag-reg", ("--diag-reg", "inf"));
        yield return C("predict--diag-reg-text", v, Bad, "--diag-reg", ("--diag-reg", "some"));
        yield return C("predict-nngp-alone", v, Bad, "--nngp-train", ("--nngp-train", "@ntk"));
        yield return C("predict--nngp-train-wrong-size", v, Bad, "--nngp-train", ("--nngp-train", "@tt"), ("--nngp-test", "@ntkt"), ("--nngp-test-test", "@tt"));
        yield return C("predict--nngp-test-wrong-size", v, Bad, "--nngp-test", ("--nngp-train", "@ntk"), ("--nngp-test", "@ntkt7"), ("--nngp-test-test", "@tt"));
        yield return C("predict--nngp-test-test-wrong-size", v, Bad, "--nngp-test-test", ("--nngp-train", "@ntk"), ("--nngp-test", "@ntkt"), ("--nngp-test-test", "@tt3"));
        yield return C("predict--nngp-train-nan", v, Bad, "--nngp-train", ("--nngp-train", "@ntknan"), ("--nngp-test", "@ntkt"), ("--nngp-test-test", "@tt"));
        yield return C("predict--device-ilgpu-cpu", v, Bad, "--device", ("--device", "ilgpu-cpu"));
        yield return C("predict--device-cuda-99", v, Bad, "--device", ("--device", "cuda:99"));
        yield return C("predict--device-unknown", v, Bad, "--device", ("--device", "abacus"));
        yield return C("predict-unknown-option", v, Bad, "--tmes", ("--tmes", "1"));
        yield return C("predict--out-is-a-file", v, Bad, "--out", ("--out", "@x"));
        yield return new BadInputCase("predict-output-is-a-folder", v, [], Io, "--out", Collide: "mean_test.npy");
    }

    private static IEnumerable<BadInputCase> Ensemble()
    {
        const string v = "ensemble";
        foreach (var c in ArchCases(v)) yield return c;
        foreach (var c in FileCases(v, "--x-train", "x")) yield return c;
        foreach (var c in FileCases(v, "--y-train", "y")) yield return c;
        yield return C("ensemble--x-test-other-width", v, Bad, "--x-test", ("--x-test", "@x4"));
        yield return C("ensemble--x-test-not-found", v, Bad, "--x-test", ("--x-test", "@nothing"));
        yield return C("ensemble--x-test-nan", v, Bad, "--x-test", ("--x-test", "@xnan"));
        yield return C("ensemble--y-train-wrong-rows", v, Bad, "--y-train", ("--y-train", "@y5"));
        yield return C("ensemble--y-train-wrong-columns", v, Bad, "--y-train", ("--y-train", "@y3"));
        yield return C("ensemble--y-train-rank3", v, Bad, "--y-train", ("--y-train", "@yrank3"));
        yield return C("ensemble--members-missing", v, Bad, "--members", ("--members", null));
        yield return C("ensemble--members-zero", v, Bad, "--members", ("--members", "0"));
        yield return C("ensemble--members-negative", v, Bad, "--members", ("--members", "-2"));
        yield return C("ensemble--members-text", v, Bad, "--members", ("--members", "two"));
        yield return C("ensemble--members-2e9", v, Bad, "--members", ("--members", "2000000000"));
        yield return C("ensemble--members-exponent", v, Bad, "--members", ("--members", "2e9"));
        yield return C("ensemble--steps-missing", v, Bad, "--steps", ("--steps", null));
        yield return C("ensemble--steps-double-comma", v, Bad, "--steps", ("--steps", "0,,1"));
        yield return C("ensemble--steps-empty", v, Bad, "--steps", ("--steps", ","));
        yield return C("ensemble--steps-negative", v, Bad, "--steps", ("--steps", "0,-1"));
        yield return C("ensemble--steps-repeated", v, Bad, "--steps", ("--steps", "1,1"));
        yield return C("ensemble--steps-fraction", v, Bad, "--steps", ("--steps", "0.5"));
        yield return C("ensemble--learning-rate-missing", v, Bad, "--learning-rate", ("--learning-rate", null));
        yield return C("ensemble--learning-rate-zero", v, Bad, "--learning-rate", ("--learning-rate", "0"));
        yield return C("ensemble--learning-rate-inf", v, Bad, "--learning-rate", ("--learning-rate", "inf"));
        yield return C("ensemble--learning-rate-nan", v, Bad, "--learning-rate", ("--learning-rate", "nan"));
        yield return C("ensemble-diverging-learning-rate", v, Bad, "--learning-rate", ("--learning-rate", "1e4"), ("--steps", "0,50"));
        yield return C("ensemble--seed-text", v, Bad, "--seed", ("--seed", "lucky"));
        yield return C("ensemble--batch-size-zero", v, Bad, "--batch-size", ("--batch-size", "0"));
        yield return C("ensemble--batch-size-too-big", v, Bad, "--batch-size", ("--batch-size", "9"));
        yield return C("ensemble--device-cuda-99", v, Bad, "--device", ("--device", "cuda:99"));
        yield return C("ensemble--threads-zero", v, Bad, "--threads", ("--threads", "0"));
        yield return C("ensemble-inputs-1e150", v, Bad, "--x-train", ("--x-train", "@x150"));
        yield return C("ensemble-inputs-1e200", v, Bad, "--x-train", ("--x-train", "@xhuge"));
        yield return C("ensemble-test-inputs-near-double-max", v, Bad, "--x-test", ("--x-test", "@xmax"));
        yield return C("ensemble-width-2e9", v, Bad, "--arch", ("--arch", "Serial(Dense(2000000000), Relu(), Dense(1))"));
        yield return C("ensemble-dense-first-on-images", v, Bad, "--arch", ("--x-train", "@img"), ("--x-test", "@img"), ("--y-train", "@y"));
        yield return C("ensemble--out-is-a-file", v, Bad, "--out", ("--out", "@x"));
        yield return new BadInputCase("ensemble-output-is-a-folder", v, [], Io, "--out", Collide: "mean_test.npy");
    }

    private static IEnumerable<BadInputCase> Equivariance()
    {
        const string v = "equivariance";
        foreach (var c in ArchCases(v).Take(7)) yield return c;
        foreach (var c in FileCases(v, "--x-train", "x")) yield return c;
        yield return C("equivariance--y-train-int", v, Bad, "--y-train", ("--y-train", "@y6int"));
        yield return C("equivariance--y-train-wrong-rows", v, Bad, "--y-train", ("--y-train", "@y"));
        yield return C("equivariance--y-train-not-found", v, Bad, "--y-train", ("--y-train", "@gone"));
        yield return C("equivariance--y-train-corrupt", v, Bad, "--y-train", ("--y-train", "@corrupt"));
        yield return C("equivariance--x-test-other-width", v, Bad, "--x-test", ("--x-test", "@xt"));
        yield return C("equivariance--x-test-not-found", v, Bad, "--x-test", ("--x-test", "@gone"));
        yield return C("equivariance--group-missing", v, Bad, "--group", ("--group", null));
        yield return C("equivariance--group-C5", v, Bad, "Cn:5", ("--group", "C5"));
        yield return C("equivariance--group-C12", v, Bad, "Cn:12", ("--group", "C12"));
        yield return C("equivariance--group-unknown", v, Bad, "--group", ("--group", "SO3"));
        yield return C("equivariance--group-Cn-zero", v, Bad, "--group", ("--group", "Cn:0"));
        yield return C("equivariance--group-Cn-exponent", v, Bad, "--group", ("--group", "Cn:1e9"));
        yield return C("equivariance--group-Cn-text", v, Bad, "--group", ("--group", "Cn:many"));
        yield return C("equivariance--group-Cn-100000", v, Bad, "--group", ("--group", "Cn:100000"));
        yield return C("equivariance--group-Cn-1e9", v, Bad, "--group", ("--group", "Cn:1000000000"));
        yield return C("equivariance--group-C4-on-3-vectors", v, Bad, "--group", ("--x-train", "@x"), ("--x-test", "@xt"), ("--y-train", "@y"));
        yield return C("equivariance--group-permutations-of-9", v, Bad, "--group", ("--group", "Permutations"), ("--x-train", "@sets9"), ("--x-test", "@sets9"),
            ("--arch", "Serial(Flatten(), Dense(8), Relu(), Dense(1))"));
        yield return C("equivariance--times-missing", v, Bad, "--times", ("--times", null));
        yield return C("equivariance--times-double-comma", v, Bad, "--times", ("--times", "1,,2"));
        yield return C("equivariance--times-negative", v, Bad, "--times", ("--times", "-1"));
        yield return C("equivariance--times-empty", v, Bad, "--times", ("--times", ","));
        yield return C("equivariance--output-rep-unknown", v, Bad, "--output-rep", ("--output-rep", "tensor"));
        yield return C("equivariance--output-rep-vector-trivial", v, Bad, "--output-rep", ("--output-rep", "vector"), ("--group", "Trivial"));
        yield return C("equivariance--output-rep-vector-one-output", v, Bad, "--output-rep", ("--output-rep", "vector"));
        yield return C("equivariance--kernel-unknown", v, Bad, "--kernel", ("--kernel", "rbf"));
        yield return C("equivariance--learning-rate-zero", v, Bad, "--learning-rate", ("--learning-rate", "0"));
        yield return C("equivariance-no-augment-and-group-averaged", v, Bad, "--group-averaged", ("--no-augment", ""), ("--group-averaged", ""));
        yield return C("equivariance-huge-inputs", v, Bad, "--x-train", ("--x-train", "@v2huge"));
        yield return C("equivariance--out-is-a-file", v, Bad, "--out", ("--out", "@x"));
        yield return new BadInputCase("equivariance-report-is-a-folder", v, [], Io, "--out", Collide: "report.json");
    }

    private static IEnumerable<BadInputCase> Polar()
    {
        const string v = "polar";
        foreach (var c in FileCases(v, "--x", "x")) yield return c;
        yield return C("polar--x-not-square", v, Bad, "--x", ("--x", "@x"));
        yield return C("polar--radii-zero", v, Bad, "--radii", ("--radii", "0"));
        yield return C("polar--radii-missing", v, Bad, "--radii", ("--radii", null));
        yield return C("polar--angles-text", v, Bad, "--angles", ("--angles", "eight"));
        yield return C("polar--angles-over-int", v, Bad, "--angles", ("--angles", "1e12"));
        yield return C("polar--out-missing", v, Bad, "--out", ("--out", null));
        yield return new BadInputCase("polar-output-is-a-folder", v, [], Io, "--out", Collide: "p.npy");
    }

    private static IEnumerable<BadInputCase> Spectrum()
    {
        const string v = "spectrum";
        foreach (var c in ArchCases(v)) yield return c;
        foreach (var c in FileCases(v, "--x", "x")) yield return c;
        yield return C("spectrum--group-missing", v, Bad, "--group", ("--group", null));
        yield return C("spectrum--group-unknown", v, Bad, "--group", ("--group", "C5"));
        yield return C("spectrum--group-order-zero", v, Bad, "--group", ("--group", "Cn:0"));
        yield return C("spectrum--group-wrong-shape", v, Bad, "--group", ("--group", "D4"), ("--x", "@x"));
        yield return C("spectrum--kernel-unknown", v, Bad, "--kernel", ("--kernel", "rbf"));
        yield return C("spectrum--out-missing", v, Bad, "--out", ("--out", null));
        yield return C("spectrum--out-is-a-file", v, Bad, "--out", ("--out", "@x"));
        yield return new BadInputCase("spectrum-csv-is-a-folder", v, [], Io, "--out", Collide: "spectrum.csv");
    }

    private static IEnumerable<BadInputCase> Merge()
    {
        const string v = "merge";
        yield return C("merge--out-missing", v, Bad, "--out", ("--out", null));
        yield return C("merge--out-value-missing", v, Bad, "--out", ("--out", ""));
        yield return C("merge-unknown-option", v, Bad, "--shard", ("--shard", "1/2"));
    }
}
