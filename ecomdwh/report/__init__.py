"""The report: one offline HTML page of charts from the marts, dq_results and the pipeline runs."""
