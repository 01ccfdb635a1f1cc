{#- The current cluster members of each plan year: the rows of the latest cluster batch. -#}
{{ latest_emulation_batch('emulation_cluster_members', 'cluster') }}
