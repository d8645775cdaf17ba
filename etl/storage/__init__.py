"""Where ETL reads and writes: raw files, committed batch outputs, audit records and the watermark."""
