use serde::Deserialize;

#[derive(Deserialize)]
pub struct Cat {
    pub url: String,
}

const DEFAULT_URL: &str = "https://api.thecatapi.com/v1/images/search";

fn cats_url() -> String {
    std::env::var("CATS_URL").unwrap_or_else(|_| DEFAULT_URL.to_string())
}

pub async fn fetch_cats() -> Result<Vec<Cat>, reqwest::Error> {
    Ok(reqwest::get(cats_url()).await?.json::<Vec<Cat>>().await?)
}
