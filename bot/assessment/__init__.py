"""Assessment (articles 19-21): ``/report`` figures and scores (``reports``), their CSV
(``report_csv``) and chart (``chart``), and the audit trail as CSV (``audit_csv``).
"""
