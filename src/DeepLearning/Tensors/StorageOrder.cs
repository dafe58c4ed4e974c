using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning;

/// <summary>
/// The one place that turns the library's column-by-column storage (MathNet's, element (i, j) of an r×c matrix at
/// i + j·r) into row-by-row order (element (i, j) at i·c + j) and back: for the ONNX exporter's n_in×n_out weights, the
/// sample-by-sample copy of a data set, and format-2 model files, which stored W row by row.
/// </summary>
internal static class StorageOrder
{
    /// <summary>Copies an r×c matrix stored column by column into <paramref name="rowByRow"/>, row by row — the transpose's storage.</summary>
    public static void ToRowByRow<T>(ReadOnlySpan<T> columnByColumn, int rows, int columns, Span<T> rowByRow)
    {
        const int Block = 64; // a block of rows whose destination stays in cache while every column is copied into it
        for (int i0 = 0; i0 < rows; i0 += Block)
        {
            int i1 = Math.Min(rows, i0 + Block);
            for (int j = 0; j < columns; j++)
            {
                ReadOnlySpan<T> column = columnByColumn.Slice(j * rows, rows);
                for (int i = i0; i < i1; i++)
                {
                    rowByRow[(i * columns) + j] = column[i];
                }
            }
        }
    }

    /// <summary>The values of a matrix row by row, in a new array.</summary>
    public static T[] RowByRow<T>(Matrix<T> matrix)
        where T : struct, IFloatingPointIeee754<T>
    {
        var values = new T[matrix.RowCount * matrix.ColumnCount];
        ToRowByRow<T>(matrix.AsColumnMajorArray() ?? matrix.ToColumnMajorArray(), matrix.RowCount, matrix.ColumnCount, values);
        return values;
    }

    /// <summary>Copies r×c values given row by row into <paramref name="columnByColumn"/>, column by column.</summary>
    public static void FromRowByRow<T>(ReadOnlySpan<T> rowByRow, int rows, int columns, Span<T> columnByColumn)
        => ToRowByRow(rowByRow, columns, rows, columnByColumn); // row by row of r×c is column by column of its c×r transpose
}
