package io.kb.cli.bench;

import java.util.SplittableRandom;

/**
 * Unit vectors that look more like text embeddings than uniform random ones do, made up from a seed: the same
 * seed, shape, dimension and index give the same vector on every machine, and any vector can be made on its own,
 * so the exact search regenerates the corpus in parallel instead of holding it.
 *
 * <p>The model: a number of topics, each a random direction with a few directions of its own along which its
 * vectors spread, plus isotropic noise. A vector picks a topic, moves along the topic's directions by Gaussian
 * amounts, takes the noise and is normalised. Why this shape: uniform random unit vectors in 512 dimensions are
 * all nearly orthogonal, so every point's neighbours are barely nearer than any other point, which no embedding
 * model produces and which makes HNSW look far worse than it is in use. Real embeddings cluster by topic and,
 * within a topic, vary along comparatively few directions, with a rest that looks like noise. The
 * {@link Shape} says how many topics, how many local directions and how much noise: more local directions and
 * more noise make neighbours less distinct and the graph's job harder. Queries are further vectors of the same
 * mixture, as real questions fall among the documents they ask about.
 */
final class SyntheticVectors {

    /**
     * The mixture's shape.
     *
     * @param topics how many topics, 1 or more
     * @param localDimensions directions along which the vectors of one topic spread, 1 or more
     * @param localSpread the spread along a topic's own directions, against the topic direction's length of 1
     * @param noise the isotropic noise, against the topic direction's length of 1
     */
    record Shape(int topics, int localDimensions, double localSpread, double noise) {

        /** The default of {@code kb bench index}: 1024 topics, 16 local directions, spread 0.8, noise 0.3. */
        static final Shape DEFAULT = new Shape(1024, 16, 0.8, 0.3);

        Shape {
            if (topics < 1 || localDimensions < 1 || !(localSpread >= 0) || !(noise >= 0)) {
                throw new IllegalArgumentException("topics and local dimensions must be 1 or more, spread and noise 0 "
                        + "or more; was " + topics + ", " + localDimensions + ", " + localSpread + ", " + noise);
            }
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d topics, %d local directions each (spread %.2f), noise %.2f",
                    topics, localDimensions, localSpread, noise);
        }
    }

    private static final long TOPIC_STREAM = 0x5DEECE66DL;

    private final long seed;
    private final Shape shape;
    private final int dimension;
    private final float[][] topics;
    /** Per topic, its local directions one after the other, each of length about 1. */
    private final float[][] directions;

    /**
     * @param seed the seed of the whole corpus
     * @param dimension the vectors' dimension, 2 or more
     */
    SyntheticVectors(long seed, int dimension) {
        this(seed, Shape.DEFAULT, dimension);
    }

    /**
     * @param seed the seed of the whole corpus
     * @param shape the mixture's shape
     * @param dimension the vectors' dimension, 2 or more
     */
    SyntheticVectors(long seed, Shape shape, int dimension) {
        if (dimension < 2) {
            throw new IllegalArgumentException("the dimension must be 2 or more, was " + dimension);
        }
        this.seed = seed;
        this.shape = java.util.Objects.requireNonNull(shape, "shape");
        this.dimension = dimension;
        this.topics = new float[shape.topics()][];
        this.directions = new float[shape.topics()][];
        double unit = 1 / Math.sqrt(dimension);
        for (int c = 0; c < shape.topics(); c++) {
            SplittableRandom random = new SplittableRandom(mix(seed ^ TOPIC_STREAM, c));
            topics[c] = normalize(gaussian(random, dimension, 1));
            directions[c] = gaussian(random, shape.localDimensions() * dimension, unit);
        }
    }

    int dimension() {
        return dimension;
    }

    Shape shape() {
        return shape;
    }

    /**
     * @param index the vector's number, 0 or more; the corpus and the queries take disjoint ranges
     * @return a new unit vector
     */
    float[] vector(long index) {
        return vector(index, new float[dimension]);
    }

    /**
     * @param index the vector's number
     * @param into where to write the unit vector, of the dimension's length
     * @return {@code into}
     */
    float[] vector(long index, float[] into) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int c = random.nextInt(shape.topics());
        float[] topic = topics[c];
        float[] local = directions[c];
        System.arraycopy(topic, 0, into, 0, dimension);
        double localScale = shape.localSpread() / Math.sqrt(shape.localDimensions());
        for (int j = 0; j < shape.localDimensions(); j++) {
            float amount = (float) (random.nextGaussian() * localScale);
            int offset = j * dimension;
            for (int i = 0; i < dimension; i++) {
                into[i] += amount * local[offset + i];
            }
        }
        double noise = shape.noise() / Math.sqrt(dimension);
        for (int i = 0; i < dimension; i++) {
            into[i] += (float) (random.nextGaussian() * noise);
        }
        return normalize(into);
    }

    /** The topic of a vector, for texts that match it. */
    int topic(long index) {
        return new SplittableRandom(mix(seed, index)).nextInt(shape.topics());
    }

    private static float[] gaussian(SplittableRandom random, int length, double scale) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    private static float[] normalize(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        float inverse = (float) (1 / Math.sqrt(squares));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= inverse;
        }
        return vector;
    }

    /** A well-spread seed per index (SplitMix64's finaliser), so that neighbouring indexes share no stream. */
    private static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
